package io.tiercache.template;

import io.tiercache.key.L2KeyEncoder;

/**
 * Percent-escaping of key text, by the same rule as L2 keys ({@link L2KeyEncoder#escapeInto}): every
 * character outside {@code [A-Za-z0-9._-]} is written {@code %XX} per UTF-8 byte (upper-case hex),
 * and a lone surrogate, which UTF-8 cannot encode, is written {@code %uXXXX}. The result is ASCII
 * without spaces or control characters, and distinct inputs give distinct outputs ({@code %} itself
 * is escaped, and {@code u} is not a hex digit).
 *
 * <p>Literal template text uses the same rule but keeps the separators {@code :} and {@code /},
 * which a value therefore never contains.
 */
final class PercentEscaper {
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
    if (!keepSeparators) {
      L2KeyEncoder.escapeInto(sb, s);
      return;
    }
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (isSeparator(s.charAt(i))) {
        L2KeyEncoder.escapeInto(sb, s.substring(start, i));
        sb.append(s.charAt(i));
        start = i + 1;
      }
    }
    L2KeyEncoder.escapeInto(sb, s.substring(start));
  }
}
