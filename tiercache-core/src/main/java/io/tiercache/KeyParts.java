package io.tiercache;

import io.tiercache.internal.template.ValueRenderer;
import java.util.Objects;

/**
 * Keys built by hand, by the rules key templates render with: easy_cache's
 * {@code create_cache_key}. {@code KeyParts.join("users_by_state", "CA")} is
 * {@code users_by_state:CA}, the key template {@code users_by_state:{state}} gives a call with
 * {@code state = "CA"}; use it to invalidate an entry without calling the method
 * ({@code cache.invalidateKey(KeyParts.join("users_by_state", state))}).
 *
 * <p>Not for tags and prefixes: those are plain text, and a tag template names its values' own
 * text ({@code "user:{email}"} is the tag {@code "user:" + email}). {@code join} escapes values, so for a value with characters
 * outside {@code [A-Za-z0-9._-]} it would name another tag.
 *
 * <p>Every part is rendered as a value (as a template renders its placeholders: see {@code docs/declarative.md}), so a {@code :} inside a
 * part is escaped: to match the literal text {@code a:b:} of a template, pass {@code "a", "b"},
 * not {@code "a:b"}.
 */
public final class KeyParts {
  private KeyParts() {}

  /**
   * The parts rendered as values and joined by {@code :}.
   *
   * @param parts strings, numbers, enums, records, collections, ...; null renders as {@code ~}
   * @return the key text: ASCII, without spaces or control characters; empty for no parts
   * @throws TemplateException if a part has no stable text (a class that keeps
   *     {@code Object.toString}, a collection that contains itself)
   */
  public static String join(Object... parts) {
    Objects.requireNonNull(parts, "parts");
    StringBuilder sb = new StringBuilder(16 * parts.length);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      ValueRenderer.render(sb, parts[i]);
    }
    return sb.toString();
  }

  /**
   * One value rendered as a template placeholder renders it: {@code value("a:b")} is
   * {@code a%3Ab}, {@code value(3L)} and {@code value(3.0)} are {@code 3}, {@code value(null)} is
   * {@code ~}.
   *
   * @param value the value
   * @return its text
   * @throws TemplateException if it has no stable text
   */
  public static String value(Object value) {
    return ValueRenderer.render(value);
  }
}
