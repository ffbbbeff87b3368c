package io.tiercache.internal.template;

import io.tiercache.internal.key.KeyText;
import io.tiercache.internal.key.L2KeyEncoder;

/**
 * Percent-escaping of key text. A value's text is escaped by the rule of L2 keys
 * ({@link L2KeyEncoder#escapeInto}): every character outside {@code [A-Za-z0-9._-]} is written
 * {@code %XX} per UTF-8 byte (upper-case hex), and a lone surrogate, which UTF-8 cannot encode,
 * {@code %uXXXX}. So a value never holds a separator ({@code :}, {@code /}) or a structural
 * character, and distinct values give distinct text ({@code %} itself is escaped, and {@code u}
 * is not a hex digit).
 *
 * <p>Literal template text is escaped by {@link KeyText#escape}, the one rule for the text of
 * tags, prefixes and explicit keys: as above, but the separators {@code :} and {@code /} and the
 * punctuation {@code ~ , = ' ( ) [ ] { }} are kept. A value therefore never contains a separator.
 */
final class PercentEscaper {
  private PercentEscaper() {}

  /** Appends a value's text: everything outside {@code [A-Za-z0-9._-]} is escaped. */
  static void escapeValue(StringBuilder sb, String s) {
    L2KeyEncoder.escapeInto(sb, s);
  }

  /** Appends literal template text, by {@link KeyText#escapeInto}. */
  static void escapeLiteral(StringBuilder sb, String s) {
    KeyText.escapeInto(sb, s);
  }

  /** True for the separators kept in literal text and never present in a rendered value. */
  static boolean isSeparator(char c) {
    return c == ':' || c == '/';
  }
}
