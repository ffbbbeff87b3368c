package io.tiercache.internal.key;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.tiercache.KeyHashing;
import io.tiercache.UnencodableArgumentException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds the L2 key of a call: {@code <namespace>:<function>:<arguments>}, stable across JVMs and
 * injective (two different argument lists never share a key).
 *
 * <p>Every argument is written with a type tag and every literal character outside
 * {@code [A-Za-z0-9._-]} is percent-escaped, so the structural characters ({@code : , [ ] { } ( ) =
 * ~ #}) can never come from a value: the text parses back to one argument list only. Keys are
 * pure ASCII with no spaces or control characters. A key longer than {@value #MAX_KEY_LENGTH}
 * characters (memcached's limit) keeps its readable prefix and replaces the arguments with
 * {@code #} and a digest of their encoding.
 */
public final class L2KeyEncoder {
  /** memcached's key limit in bytes; keys are ASCII, so characters equal bytes. */
  public static final int MAX_KEY_LENGTH = 250;
  private static final int MAX_DEPTH = 32;
  private static final HexFormat HEX = HexFormat.of();
  private static final Hasher128 XXH3_128 = Hashing.xxh3_128();

  private final String functionName;
  private final String namespaceHead;
  private final String functionHead;
  private final String prefix;
  private final boolean typed;
  private final KeyHashing hashing;
  private final Map<Class<?>, Function<Object, String>> customEncoders;
  private final ClassValue<RecordComponent[]> recordComponents = new ClassValue<>() {
    @Override
    protected RecordComponent[] computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      for (RecordComponent component : components) {
        component.getAccessor().setAccessible(true);
      }
      return components;
    }
  };

  /**
   * @param namespace the application's namespace, first in every key
   * @param functionName the cached function's name
   * @param typed whether numbers of different types get different keys
   * @param hashing the digest for keys that are too long
   * @param customEncoders user encoders by exact class (subclasses are looked up too)
   */
  public L2KeyEncoder(String namespace, String functionName, boolean typed, KeyHashing hashing,
      Map<Class<?>, Function<Object, String>> customEncoders) {
    this.functionName = functionName;
    this.namespaceHead = namespaceHead(namespace);
    StringBuilder sb = new StringBuilder();
    escapeInto(sb, functionName);
    this.functionHead = sb.append(':').toString();
    this.prefix = namespaceHead + functionHead;
    this.typed = typed;
    this.hashing = hashing;
    this.customEncoders = Map.copyOf(customEncoders);
  }

  /** The digest that shortens keys longer than {@value #MAX_KEY_LENGTH} characters. */
  public KeyHashing hashing() {
    return hashing;
  }

  /** The part every key of this function starts with. */
  public String prefix() {
    return prefix;
  }

  /**
   * The L2 key of a call.
   *
   * @throws UnencodableArgumentException if an argument has no stable encoding
   */
  public String encode(ArgsKey key) {
    StringBuilder sb = new StringBuilder(prefix.length() + 16 * (key.arity() + 1)).append(prefix);
    appendArgs(sb, key);
    return shorten(sb.toString(), prefix.length(), hashing);
  }

  /**
   * {@code key} itself if it fits {@value #MAX_KEY_LENGTH} characters; otherwise its first
   * {@code readable} characters, {@code #} and a digest of the rest; or, if even that is too
   * long, {@code #} and a digest of the whole key.
   */
  public static String shorten(String key, int readable, KeyHashing hashing) {
    if (key.length() <= MAX_KEY_LENGTH) {
      return key;
    }
    String shortened = key.substring(0, readable) + '#' + digest(key.substring(readable), hashing);
    return shortened.length() <= MAX_KEY_LENGTH ? shortened : "#" + digest(key, hashing);
  }

  /** {@link #shorten(String, int, KeyHashing)} with XXH3-128. */
  public static String shorten(String key, int readable) {
    return shorten(key, readable, KeyHashing.XXH3_128);
  }

  /**
   * The L2 key of a call under a key prefix: {@code <namespace>:<prefix>:<function>:<arguments>},
   * the prefix read as key text by {@link KeyText#normalize}, as {@code invalidateKey} reads it.
   *
   * @throws UnencodableArgumentException if an argument has no stable encoding
   */
  public String encode(ArgsKey key, String keyPrefix) {
    StringBuilder sb = new StringBuilder(prefix.length() + keyPrefix.length() + 16 * (key.arity() + 2))
        .append(namespaceHead);
    KeyText.normalizeInto(sb, keyPrefix);
    sb.append(':');
    int readable = sb.length() + functionHead.length();
    sb.append(functionHead);
    appendArgs(sb, key);
    return shorten(sb.toString(), readable, hashing);
  }

  private void appendArgs(StringBuilder sb, ArgsKey key) {
    int first = key.startsWithSharedReceiver() ? 1 : 0;
    for (int i = first; i < key.arity(); i++) {
      if (i > first) {
        sb.append(',');
      }
      appendValue(sb, key.arg(i), i, 0);
    }
  }

  /** {@code <escaped namespace>:}, the head of every key in a namespace. */
  public static String namespaceHead(String namespace) {
    StringBuilder sb = new StringBuilder();
    escapeInto(sb, namespace);
    return sb.append(':').toString();
  }

  /**
   * The L2 key of an entry whose key the user chose (a rendered template or a key function):
   * {@code <namespace>:[<prefix>:]<key>}, {@code <prefix>:<key>} read as key text by
   * {@link KeyText#normalize}, as {@code invalidateKey("<prefix>:<key>")} reads it.
   *
   * @param prefix the entry's key prefix, or null
   */
  public static String explicitKey(String namespaceHead, String prefix, String key) {
    StringBuilder sb = new StringBuilder(namespaceHead.length() + key.length() + 16).append(namespaceHead);
    if (prefix != null) {
      KeyText.normalizeInto(sb, prefix);
      sb.append(':');
    }
    int readable = sb.length();
    KeyText.normalizeInto(sb, key);
    return shorten(sb.toString(), readable);
  }

  /**
   * Checks that every argument has a stable encoding, without building a key to keep.
   *
   * @throws UnencodableArgumentException if one has none
   */
  public void validate(ArgsKey key) {
    encode(key);
  }

  private void appendValue(StringBuilder sb, Object value, int argIndex, int depth) {
    if (depth > MAX_DEPTH) {
      throw new UnencodableArgumentException("argument " + argIndex + " of cached function '"
          + functionName + "' is nested more than " + MAX_DEPTH + " levels deep (a cycle?)",
          value.getClass());
    }
    if (value == null) {
      sb.append('~');
      return;
    }
    if (!customEncoders.isEmpty()) {
      Function<Object, String> custom = customEncoder(value.getClass());
      if (custom != null) {
        sb.append('k');
        escapeInto(sb, value.getClass().getName());
        sb.append('=');
        escapeInto(sb, custom.apply(value));
        return;
      }
    }
    if (value instanceof String s) {
      sb.append('s');
      escapeInto(sb, s);
    } else if (value instanceof Number n && Numbers.isSupported(n)) {
      if (typed) {
        escapeInto(sb, Numbers.typedValue(n));
      } else {
        sb.append('n');
        escapeInto(sb, Numbers.canonicalValue(n));
      }
    } else if (value instanceof Boolean b) {
      sb.append(b ? "b1" : "b0");
    } else if (value instanceof Character c) {
      sb.append('c');
      escapeInto(sb, c.toString());
    } else if (value instanceof Enum<?> e) {
      sb.append('e');
      escapeInto(sb, e.getDeclaringClass().getName());
      sb.append('=');
      escapeInto(sb, e.name());
    } else if (value instanceof UUID u) {
      sb.append('u').append(u);
    } else if (value instanceof TemporalAccessor || value instanceof Duration || value instanceof Period
        || value instanceof ZoneId) {
      sb.append('t');
      escapeInto(sb, value.getClass().getSimpleName());
      sb.append('=');
      escapeInto(sb, value.toString());
    } else if (value instanceof Record) {
      appendRecord(sb, value, argIndex, depth);
    } else if (value instanceof Optional<?> o) {
      sb.append("o(");
      appendValue(sb, o.orElse(null), argIndex, depth + 1);
      sb.append(')');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      appendSequence(sb, list, argIndex, depth);
      sb.append(']');
    } else if (value instanceof Set<?> set) {
      sb.append('{');
      appendSorted(sb, set, argIndex, depth);
      sb.append('}');
    } else if (value instanceof Map<?, ?> map) {
      sb.append("m{");
      List<String> entries = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        StringBuilder e = new StringBuilder();
        appendValue(e, entry.getKey(), argIndex, depth + 1);
        e.append('=');
        appendValue(e, entry.getValue(), argIndex, depth + 1);
        entries.add(e.toString());
      }
      Collections.sort(entries);
      sb.append(String.join(",", entries)).append('}');
    } else if (value.getClass().isArray()) {
      sb.append('a');
      escapeInto(sb, value.getClass().getComponentType().getName());
      sb.append('[');
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendValue(sb, Array.get(value, i), argIndex, depth + 1);
      }
      sb.append(']');
    } else {
      throw unencodable(value.getClass(), argIndex);
    }
  }

  private void appendRecord(StringBuilder sb, Object value, int argIndex, int depth) {
    sb.append('r');
    escapeInto(sb, value.getClass().getName());
    sb.append('(');
    RecordComponent[] components;
    try {
      components = recordComponents.get(value.getClass());
    } catch (RuntimeException e) {
      throw unencodable(value.getClass(), argIndex);
    }
    for (int i = 0; i < components.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object component;
      try {
        component = components[i].getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw unencodable(value.getClass(), argIndex);
      }
      appendValue(sb, component, argIndex, depth + 1);
    }
    sb.append(')');
  }

  private void appendSequence(StringBuilder sb, Collection<?> values, int argIndex, int depth) {
    boolean first = true;
    for (Object element : values) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendValue(sb, element, argIndex, depth + 1);
    }
  }

  private void appendSorted(StringBuilder sb, Collection<?> values, int argIndex, int depth) {
    List<String> encoded = new ArrayList<>(values.size());
    for (Object element : values) {
      StringBuilder e = new StringBuilder();
      appendValue(e, element, argIndex, depth + 1);
      encoded.add(e.toString());
    }
    Collections.sort(encoded);
    sb.append(String.join(",", encoded));
  }

  private Function<Object, String> customEncoder(Class<?> type) {
    Function<Object, String> exact = customEncoders.get(type);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<Class<?>, Function<Object, String>> entry : customEncoders.entrySet()) {
      if (entry.getKey().isAssignableFrom(type)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private UnencodableArgumentException unencodable(Class<?> type, int argIndex) {
    return new UnencodableArgumentException("argument " + argIndex + " of cached function '"
        + functionName + "' cannot be part of a cache key: type " + type.getName()
        + " has no stable encoding. Pass a supported type (string, number, enum, record, "
        + "collection, ...) or register one with TierCache.builder().keyEncoder("
        + type.getSimpleName() + ".class, value -> ...)", type);
  }

  private static String digest(String text, KeyHashing hashing) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    if (hashing == KeyHashing.SHA_256) {
      try {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
    // XXH3-128 (seed 0), low 64 bits first: the digest every release has written (PinnedKeysTest)
    HashValue128 h = XXH3_128.hashBytesTo128Bits(bytes);
    return HEX.toHexDigits(h.getLeastSignificantBits()) + HEX.toHexDigits(h.getMostSignificantBits());
  }

  /**
   * Appends {@code s} with every character outside {@code [A-Za-z0-9._-]} written as {@code %XX}
   * per UTF-8 byte; a lone surrogate (not encodable in UTF-8) is written {@code %uXXXX}.
   */
  public static void escapeInto(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-') {
        sb.append(c);
      } else {
        i = KeyText.escapeChar(sb, s, i);
      }
    }
  }
}
