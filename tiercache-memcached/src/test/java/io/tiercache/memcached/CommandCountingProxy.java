package io.tiercache.memcached;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP proxy in front of one memcached that keeps every byte clients send, so a test can
 * count the text-protocol commands a backend really issued. Bounded: it serves until closed.
 */
final class CommandCountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final List<Socket> sockets = new ArrayList<>();

  CommandCountingProxy(String targetHost, int targetPort) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:port} of the proxy. */
  String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Forgets what was sent so far. */
  void reset() {
    synchronized (sent) {
      sent.reset();
    }
  }

  /** The command lines sent since the last reset that start with {@code verb + " "}. */
  List<String> commands(String verb) {
    String text;
    synchronized (sent) {
      text = sent.toString(StandardCharsets.ISO_8859_1);
    }
    List<String> found = new ArrayList<>();
    for (String line : text.split("\r\n")) {
      if (line.startsWith(verb + " ")) {
        found.add(line);
      }
    }
    return found;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(server);
        }
        pump(client.getInputStream(), server.getOutputStream(), true);
        pump(server.getInputStream(), client.getOutputStream(), false);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean record) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (record) {
            synchronized (sent) {
              sent.write(buffer, 0, n);
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException closed) {
        // one side went away
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
