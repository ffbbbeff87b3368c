package io.tiercache;

/**
 * A key template that cannot be used: thrown when the template is parsed, if it is malformed or
 * names something the method does not have (when the proxy is made, not on the first call), and
 * when a call's values cannot be rendered into it (a null in the middle of a property path, a
 * value without a stable text).
 *
 * <p>The message names the method (or function), the template, the offending placeholder or name,
 * and what is available instead, so it can be fixed from the message alone. It is an
 * {@link IllegalArgumentException} because the template or the arguments are what is wrong.
 */
public class TemplateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, where, and what is available
   */
  public TemplateException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, where, and what is available
   * @param cause the failure underneath (a property getter's exception, say)
   */
  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
