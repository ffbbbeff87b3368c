package io.tiercache.template;

import java.nio.charset.StandardCharsets;

/**
 * Percent-escaping of key text. The rule is a copy of {@code io.tiercache.key.L2KeyEncoder.escape}
 * (that method is package-private to {@code io.tiercache.key}, so it is copied, not shared): every
 * character outside {@code [A-Za-z0-9._-]} is written {@code %XX} per UTF-8 byte (upper-case hex),
 * and a lone surrogate, which UTF-8 cannot encode, is written {@code %uXXXX}. The result is ASCII
 * without spaces or control characters, and distinct inputs give distinct outputs ({@code %} itself
 * is escaped, and {@code u} is not a hex digit).
 *
 * <p>Literal template text uses the same rule but keeps the separators {@code :} and {@code /},
 * which a value therefore never contains.
 */
final class PercentEscaper {
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private PercentEscaper() {}

  /** Appends a value's text: everything outside {@code [A-Za-z0-9._-]} is escaped. */
  static void escapeValue(StringBuilder sb, String s) {
    escape(sb, s, false);
  }

  /** Appends literal template text: as {@link #escapeValue} but {@code :} and {@code /} are kept. */
  static void escapeLiteral(StringBuilder sb, String s) {
    escape(sb, s, true);
  }

  /** True for the characters a value may contain unescaped. */
  static boolean isPlain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
  }

  /** True for the separators kept in literal text and never present in a rendered value. */
  static boolean isSeparator(char c) {
    return c == ':' || c == '/';
  }

  private static void escape(StringBuilder sb, String s, boolean keepSeparators) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isPlain(c) || (keepSeparators && isSeparator(c))) {
        sb.append(c);
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        appendUtf8(sb, Character.toCodePoint(c, s.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        sb.append("%u").append(HEX_UPPER[c >> 12]).append(HEX_UPPER[(c >> 8) & 15])
            .append(HEX_UPPER[(c >> 4) & 15]).append(HEX_UPPER[c & 15]);
      } else {
        appendUtf8(sb, c);
      }
    }
  }

  private static void appendUtf8(StringBuilder sb, int codePoint) {
    if (codePoint < 0x80) {
      appendByte(sb, codePoint);
      return;
    }
    byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      appendByte(sb, b);
    }
  }

  private static void appendByte(StringBuilder sb, int b) {
    sb.append('%').append(HEX_UPPER[(b >> 4) & 15]).append(HEX_UPPER[b & 15]);
  }
}
