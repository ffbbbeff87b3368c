package io.tiercache.internal.key;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one rule that turns the text of a tag, a prefix or an explicit key into the text of an L2
 * key, wherever that text comes from: a template ({@code @Cached(tags = "user:{email}")}), a tags,
 * prefix or key function, a literal ({@code tags("a")}), or an invalidation
 * ({@code invalidateTags}, {@code invalidatePrefix}, {@code invalidateKey}).
 *
 * <p><b>Escaping</b> ({@link #escape}): the characters {@code [A-Za-z0-9._-]}, the separators
 * {@code :} and {@code /}, and the punctuation keys are built with ({@code ~ , = ' ( ) [ ] { }})
 * are kept; every other character, {@code %} included, is written {@code %XX} per UTF-8 byte
 * (upper-case hex), and a lone surrogate, which UTF-8 cannot encode, {@code %uXXXX}. The result is
 * ASCII without spaces or control characters, and distinct texts give distinct results.
 *
 * <p><b>Tags and prefixes are plain text</b>: the tag {@code "user:ann@example.com"} is stored
 * under {@code <namespace>:#t:user:ann%40example.com} whichever way it was named. A template that
 * names a tag or a prefix names the text it renders with every value written as its own text
 * ({@link #decode} of the rendered key text): {@code "user:{email}"} with
 * {@code email = "ann@example.com"} is the tag {@code "user:ann@example.com"}.
 *
 * <p><b>Entry keys are key text</b> ({@link #normalize}): as escaping, except that an escape
 * already in the text ({@code %XX}, {@code %uXXXX}) is kept. An entry's key after the namespace,
 * {@code [<prefix>:]<key>}, is read so, prefix included (while the prefix's version, a tag, is
 * plain text). So a rendered key template, a key
 * built with {@code KeyParts.join}, a default key ({@code quote:sA-42,n3}) and the same text
 * given to {@code invalidateKey} name one entry; text without escapes is escaped as above
 * ({@code "user:ann@example.com"} is {@code user:ann%40example.com}, which is also what the
 * template {@code "user:{email}"} renders).
 */
public final class KeyText {
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private KeyText() {}

  /** True for the characters kept as they are. */
  public static boolean isKept(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-' || c == ':' || c == '/' || c == '~' || c == ','
        || c == '=' || c == '\'' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{'
        || c == '}';
  }

  /** The text escaped by the rule above; the L2 form of a tag's or a prefix's text. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    escapeInto(sb, text);
    return sb.toString();
  }

  /** Appends {@code text} escaped by the rule above. */
  public static void escapeInto(StringBuilder sb, CharSequence text) {
    append(sb, text, false);
  }

  /**
   * Explicit key text in its one form: as {@link #escape}, but an escape already present
   * ({@code %} and two hex digits, or {@code %u} and four) is kept, its hex digits upper-cased.
   * Idempotent.
   */
  public static String normalize(String keyText) {
    StringBuilder sb = new StringBuilder(keyText.length() + 8);
    normalizeInto(sb, keyText);
    return sb.toString();
  }

  /** Appends {@link #normalize normalized} key text. */
  public static void normalizeInto(StringBuilder sb, CharSequence keyText) {
    append(sb, keyText, true);
  }

  private static void append(StringBuilder sb, CharSequence s, boolean keepEscapes) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (isKept(c)) {
        sb.append(c);
      } else if (keepEscapes && c == '%' && escapeLength(s, i) > 0) {
        int length = escapeLength(s, i);
        sb.append('%');
        for (int j = i + 1; j < i + length; j++) {
          char h = s.charAt(j);
          sb.append(h == 'u' ? 'u' : Character.toUpperCase(h));
        }
        i += length - 1;
      } else {
        i = escapeChar(sb, s, i);
      }
    }
  }

  /**
   * Appends the escape of the character at {@code i} of {@code s}: {@code %XX} per UTF-8 byte (a
   * surrogate pair is one code point), {@code %uXXXX} for a lone surrogate. Shared with the
   * encoder of argument values ({@link L2KeyEncoder}), which keeps fewer characters as they are.
   *
   * @return the index of the last character written (i + 1 for a surrogate pair)
   */
  static int escapeChar(StringBuilder sb, CharSequence s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      appendUtf8(sb, Character.toCodePoint(c, s.charAt(i + 1)));
      return i + 1;
    }
    if (Character.isSurrogate(c)) {
      sb.append("%u").append(HEX_UPPER[c >> 12]).append(HEX_UPPER[(c >> 8) & 15])
          .append(HEX_UPPER[(c >> 4) & 15]).append(HEX_UPPER[c & 15]);
    } else {
      appendUtf8(sb, c);
    }
    return i;
  }

  /** The length of the escape at {@code i} ({@code %XX}: 3, {@code %uXXXX}: 6), or 0 if none. */
  private static int escapeLength(CharSequence s, int i) {
    if (i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
      return 3;
    }
    if (i + 5 < s.length() && s.charAt(i + 1) == 'u' && isHex(s.charAt(i + 2)) && isHex(s.charAt(i + 3))
        && isHex(s.charAt(i + 4)) && isHex(s.charAt(i + 5))) {
      return 6;
    }
    return 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }

  private static void appendUtf8(StringBuilder sb, int codePoint) {
    if (codePoint < 0x80) {
      appendByte(sb, codePoint);
    } else if (codePoint < 0x800) {
      appendByte(sb, 0xC0 | (codePoint >> 6));
      appendByte(sb, 0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
      appendByte(sb, 0xE0 | (codePoint >> 12));
      appendByte(sb, 0x80 | ((codePoint >> 6) & 0x3F));
      appendByte(sb, 0x80 | (codePoint & 0x3F));
    } else {
      appendByte(sb, 0xF0 | (codePoint >> 18));
      appendByte(sb, 0x80 | ((codePoint >> 12) & 0x3F));
      appendByte(sb, 0x80 | ((codePoint >> 6) & 0x3F));
      appendByte(sb, 0x80 | (codePoint & 0x3F));
    }
  }

  private static void appendByte(StringBuilder sb, int b) {
    sb.append('%').append(HEX_UPPER[(b >> 4) & 15]).append(HEX_UPPER[b & 15]);
  }

  /**
   * The text that escaped key text stands for: every {@code %XX} run decoded as UTF-8 and every
   * {@code %uXXXX} as that char; the inverse of {@link #escape} and of the escaping of template
   * values. Used to read a rendered tag or prefix template as the plain text it names.
   *
   * @throws IllegalArgumentException if {@code keyText} holds a {@code %} that starts no escape or
   *     escaped bytes that are not UTF-8; the message quotes the text
   */
  public static String decode(String keyText) {
    int percent = keyText.indexOf('%');
    if (percent < 0) {
      return keyText;
    }
    StringBuilder sb = new StringBuilder(keyText.length()).append(keyText, 0, percent);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int n = keyText.length();
    int i = percent;
    while (i < n) {
      char c = keyText.charAt(i);
      if (c != '%') {
        sb.append(c);
        i++;
        continue;
      }
      int length = escapeLength(keyText, i);
      if (length == 0) {
        throw new IllegalArgumentException("'%' at index " + i + " of \"" + keyText
            + "\" starts no escape (%XX or %uXXXX)");
      }
      if (length == 6) {
        sb.append((char) Integer.parseInt(keyText.substring(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      bytes.reset();
      while (i < n && keyText.charAt(i) == '%' && escapeLength(keyText, i) == 3) {
        bytes.write(Integer.parseInt(keyText.substring(i + 1, i + 3), 16));
        i += 3;
      }
      try {
        sb.append(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.toByteArray())));
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("escaped bytes in \"" + keyText + "\" are not UTF-8", e);
      }
    }
    return sb.toString();
  }
}
