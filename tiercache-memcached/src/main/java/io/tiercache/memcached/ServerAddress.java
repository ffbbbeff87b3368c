package io.tiercache.memcached;

/**
 * One memcached server, parsed from {@code host:port}, {@code host} (port 11211) or
 * {@code [ipv6]:port}.
 */
record ServerAddress(String host, int port) {
  /** memcached's standard port. */
  static final int DEFAULT_PORT = 11211;

  ServerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("memcached server host must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("memcached server port must be 1-65535, got " + port
          + " for host " + host);
    }
  }

  static ServerAddress parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("memcached server must not be null");
    }
    String s = text.strip();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
        throw invalid(text);
      }
      host = s.substring(1, close);
      if (close + 1 < s.length()) {
        port = s.substring(close + 2);
      }
    } else {
      int colon = s.indexOf(':');
      if (colon != s.lastIndexOf(':')) {
        throw invalid(text); // a bare IPv6 address: must be bracketed to carry a port
      }
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
      throw invalid(text);
    }
    if (port == null) {
      return new ServerAddress(host, DEFAULT_PORT);
    }
    try {
      return new ServerAddress(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("not a memcached server address (host:port, host, or "
        + "[ipv6]:port): '" + text + "'");
  }

  /** {@code host:port}, with brackets around an IPv6 host. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
