package io.tiercache.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket to a test server, speaking just enough of RESP and memcached's text protocol. */
final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2_000);
    socket.setSoTimeout(5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static RawConnection to(ServerProcess server) throws IOException {
    return new RawConnection(server.host(), server.port());
  }

  /** Sends {@code text} as ASCII followed by CRLF. */
  RawConnection send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1)).send(new byte[] {'\r', '\n'});
  }

  RawConnection send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** One CRLF-terminated line, without the CRLF. */
  String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      previous = b;
    }
    throw new IOException("connection closed; got so far: " + line);
  }

  /** Exactly {@code n} bytes followed by CRLF, which is checked and dropped. */
  byte[] block(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n || in.read() != '\r' || in.read() != '\n') {
      throw new IOException("short or unterminated block of " + n + " bytes");
    }
    return bytes;
  }

  /** A RESP reply to an inline command: a simple line, or a bulk string's text, or null for nil. */
  String redis(String inlineCommand) throws IOException {
    send(inlineCommand);
    String header = line();
    if (header.startsWith("$")) {
      int length = Integer.parseInt(header.substring(1));
      return length < 0 ? null : new String(block(length), StandardCharsets.ISO_8859_1);
    }
    return header;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
