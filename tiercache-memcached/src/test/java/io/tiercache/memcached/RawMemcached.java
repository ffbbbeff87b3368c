package io.tiercache.memcached;

import io.tiercache.testkit.MemcachedLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-socket memcached text-protocol connection: what the tests use to see what a server
 * really holds, independently of the client under test.
 */
final class RawMemcached implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawMemcached(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2_000);
    socket.setSoTimeout(5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static RawMemcached to(MemcachedLauncher server) {
    try {
      return new RawMemcached(server.host(), server.port());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + server, e);
    }
  }

  /** The value under {@code key}, or null. */
  byte[] get(String key) {
    return getMany(List.of(key)).get(key);
  }

  /** The values under {@code keys} present on this server, by {@code get k1 k2 ...}. */
  Map<String, byte[]> getMany(List<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += 50) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + 50));
      send("get " + String.join(" ", part) + "\r\n");
      for (String line = readLine(); !line.equals("END"); line = readLine()) {
        String[] f = line.split(" "); // VALUE <key> <flags> <bytes>
        if (!f[0].equals("VALUE")) {
          throw new IllegalStateException("unexpected reply to get: " + line);
        }
        byte[] value = readExactly(Integer.parseInt(f[3]));
        readExactly(2);
        found.put(f[1], value);
      }
    }
    return found;
  }

  /** {@code set key 0 exptime n}; returns memcached's reply line. */
  String set(String key, byte[] value, long exptime) {
    send("set " + key + " 0 " + exptime + " " + value.length + "\r\n");
    write(value);
    send("\r\n");
    return readLine();
  }

  /**
   * The seconds {@code key} has left as memcached reports them ({@code mg <key> t}): -1 for no
   * expiry, null if the key is absent.
   */
  Long remainingTtl(String key) {
    send("mg " + key + " t\r\n");
    String line = readLine();
    if (line.equals("EN")) {
      return null;
    }
    for (String flag : line.split(" ")) {
      if (flag.startsWith("t")) {
        return Long.parseLong(flag.substring(1));
      }
    }
    throw new IllegalStateException("no TTL in reply to mg: " + line);
  }

  /** A {@code stats} value, e.g. {@code curr_items}. */
  String stat(String name) {
    send("stats\r\n");
    String value = null;
    for (String line = readLine(); !line.equals("END"); line = readLine()) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[1].equals(name)) {
        value = f[2];
      }
    }
    return value;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private void send(String text) {
    write(text.getBytes(StandardCharsets.US_ASCII));
  }

  private void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int previous = -1;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (previous == '\r' && b == '\n') {
          byte[] bytes = line.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        }
        line.write(b);
        previous = b;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readExactly(int n) {
    try {
      byte[] bytes = in.readNBytes(n);
      if (bytes.length != n) {
        throw new IOException("connection closed after " + bytes.length + " of " + n + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
