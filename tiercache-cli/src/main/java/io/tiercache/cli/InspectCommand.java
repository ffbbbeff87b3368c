package io.tiercache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercache.codec.Envelope;
import io.tiercache.internal.key.L2KeyEncoder;
import io.tiercache.internal.tag.TagKeys;
import io.tiercache.codec.TagStamp;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tiercache inspect KEY}: what L2 holds under an entry's key, read from the envelope's header
 * ({@link Envelope#header}) and, for the payload, as a JSON tree: no class named by the data is ever
 * loaded. Foreign or corrupt bytes are reported as such.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show an L2 entry: declared type fingerprint, tags and their versions, expiry, TTL left, size.",
        "Never deserializes the value into a class: the payload is shown as JSON text."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:a live entry whose tag versions are current",
        "1:no such key, foreign or corrupt bytes, expired, or a tag changed since it was stored",
        "2:usage error", "3:authentication failed", "4:server unreachable"})
final class InspectCommand extends CommandBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PREVIEW = 200;

  @Parameters(paramLabel = "KEY", description = "the entry's key after the namespace, as `keys` prints it"
      + " and `invalidate --key` takes it, e.g. quote:sA-42,n3")
  String key;

  @Option(names = "--type", paramLabel = "CLASS",
      description = "check the fingerprint against this declared type, e.g. java.lang.String")
  String type;

  @Override
  int run(ConnectionOptions.Target target) throws Exception {
    String l2Key = L2KeyEncoder.explicitKey(L2KeyEncoder.namespaceHead(target.namespace()), null, key);
    long timeout = connection.timeout.toMillis();
    byte[] bytes = target.backend().get(l2Key).toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
    out().println("key        " + l2Key);
    out().println("backend    " + target.backend().describe());
    if (bytes == null) {
      out().println("entry      none");
      return ExitCodes.DEGRADED_OR_NOT_FOUND;
    }
    Optional<Envelope.Header> opened = Envelope.header(bytes);
    if (opened.isEmpty()) {
      out().println("size       " + bytes.length + " bytes");
      out().println("entry      NOT a tiercache entry (foreign or corrupt bytes), starts with " + hex(bytes));
      return ExitCodes.DEGRADED_OR_NOT_FOUND;
    }
    Envelope.Header h = opened.get();
    int header = bytes.length - h.payloadLength();
    out().println("size       " + bytes.length + " bytes (header " + header + ", payload " + h.payloadLength() + ")");
    out().println("type       fingerprint " + String.format("%08x", h.fingerprint()) + typeCheck(h));
    long now = System.currentTimeMillis();
    boolean live = h.expiresAtMillis() == 0 || h.expiresAtMillis() > now;
    out().println("expires    " + (h.expiresAtMillis() == 0 ? "never"
        : Instant.ofEpochMilli(h.expiresAtMillis()) + (live ? "" : " (EXPIRED)")));
    if (target.redis() != null) {
      long pttl = target.redis().pttl(l2Key);
      out().println("ttl        " + (pttl < 0 ? "none in Redis" : Durations.text(java.time.Duration.ofMillis(pttl))
          + " left in Redis"));
    }
    boolean current = true;
    out().println("tags       " + h.stamps().size());
    for (TagStamp stamp : h.stamps()) {
      long now2 = TagKeys.decode(target.backend().get(stamp.key()).toCompletableFuture()
          .get(timeout, TimeUnit.MILLISECONDS));
      boolean same = now2 == stamp.version();
      current &= same;
      out().println("  " + stamp.key() + "  version " + Long.toHexString(stamp.version())
          + (same ? "  current" : now2 == 0 ? "  CHANGED (no version stored now)"
              : "  CHANGED (now " + Long.toHexString(now2) + ")"));
    }
    out().println("payload    " + payload(bytes, header, h));
    String verdict = !live ? "expired: a miss for every process"
        : !current ? "stale: a tag changed since it was stored, a miss for every process" : "live";
    out().println("status     " + verdict);
    return live && current ? ExitCodes.OK : ExitCodes.DEGRADED_OR_NOT_FOUND;
  }

  private String typeCheck(Envelope.Header h) {
    if (type == null) {
      return "";
    }
    int expected = Envelope.fingerprint("jackson-json", type);
    return expected == h.fingerprint() ? " (matches jackson-json " + type + ")"
        : " (NOT jackson-json " + type + ", which is " + String.format("%08x", expected) + ")";
  }

  private static String payload(byte[] bytes, int from, Envelope.Header h) {
    if (h.nullResult()) {
      return "a cached null result";
    }
    String text = new String(bytes, from, h.payloadLength(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      JsonNode tree = JSON.readTree(text);
      String json = tree == null ? "" : tree.toString();
      String kind = tree == null ? "empty" : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
      return "JSON " + kind + ": " + (json.length() > PREVIEW ? json.substring(0, PREVIEW) + "..." : json);
    } catch (JsonProcessingException e) {
      return "not JSON (another codec), starts with " + hex(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(16, bytes.length); i++) {
      sb.append(String.format("%02x", bytes[i] & 0xff));
      if (i < Math.min(16, bytes.length) - 1) {
        sb.append(' ');
      }
    }
    return sb + (bytes.length > 16 ? " ..." : "");
  }
}
