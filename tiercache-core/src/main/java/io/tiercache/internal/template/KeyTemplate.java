package io.tiercache.internal.template;

import io.tiercache.TemplateException;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A cache key template over a method's parameters, such as {@code users_by_state:{state}} or
 * {@code user_favorite_books:{this.id}} (easy_cache's key strings, checked like Java): parsed and
 * checked once, when the proxy or cached function is made, then rendered on each call that needs
 * the key.
 *
 * <h2>Syntax</h2>
 *
 * <ul>
 *   <li>{@code {state}}: the parameter named {@code state} (needs classes compiled with
 *       {@code -parameters});
 *   <li>{@code {0}}: the first parameter, by position;
 *   <li>{@code {this}}: the receiver of an instance method;
 *   <li>{@code {user.address.city}}, {@code {0.id}}, {@code {this.id}}: a property path;
 *   <li><code>&#123;&#123;</code> and <code>&#125;&#125;</code>: a literal brace; any other text
 *       is literal.
 * </ul>
 *
 * <p>Each property name is resolved against the <em>declared</em> type of what precedes it, in
 * this order: a record component, a public no-arg getter {@code getX()} / {@code isX()}, a public
 * no-arg method {@code x()}, a public field {@code x}. The result is kept as a
 * {@link MethodHandle}, so rendering does no reflective lookup; and as the declared type decides,
 * a typo fails at parse time, also when the declared type is an interface or {@code Object} (the
 * runtime type is never guessed).
 *
 * <h2>Rendering</h2>
 *
 * <p>Rendering is injective: two calls whose rendered values differ get different keys, whatever
 * the values contain. Values are written by the rules of the package documentation (strings
 * percent-escaped outside {@code [A-Za-z0-9._-]}, null as {@code ~}, numbers canonically, ...), so a
 * value never contains {@code :} or {@code /}. Literal text is percent-escaped at parse time by
 * {@link io.tiercache.internal.key.KeyText}, which keeps {@code :} and {@code /} and the key punctuation
 * {@code ~ , = ' ( ) [ ] { }}; and two placeholders must be separated
 * by literal text holding a {@code :} or {@code /} ({@code {a}-{b}} and {@code {a}{b}} are
 * rejected: {@code ("x-y", "z")} and {@code ("x", "y-z")} would share a key). The output is ASCII
 * without spaces or control characters. {@link io.tiercache.KeyParts#join} builds the same text by hand.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KeyTemplate {
  private static final int RECEIVER = -1;

  private final String source;
  private final TemplateSignature signature;
  private final Object[] segments; // String (escaped literal) or Placeholder
  private final String constant; // the rendering when there is no placeholder, else null
  private final List<String> parameterNamesUsed;
  private final List<Integer> parameterIndexesUsed;
  private final boolean usesReceiver;
  private final int sizeHint;

  private KeyTemplate(String source, TemplateSignature signature, List<Object> segments) {
    this.source = source;
    this.signature = signature;
    this.segments = segments.toArray();
    Set<Integer> indexes = new LinkedHashSet<>();
    boolean receiver = false;
    int hint = 0;
    StringBuilder text = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Placeholder p) {
        if (p.index == RECEIVER) {
          receiver = true;
        } else {
          indexes.add(p.index);
        }
        hint += 16;
      } else {
        text.append((String) segment);
        hint += ((String) segment).length();
      }
    }
    List<String> names = new ArrayList<>(indexes.size());
    for (int index : indexes) {
      names.add(signature.parameterNames().get(index));
    }
    this.parameterNamesUsed = List.copyOf(names);
    this.parameterIndexesUsed = List.copyOf(indexes);
    this.usesReceiver = receiver;
    this.constant = receiver || !indexes.isEmpty() ? null : text.toString();
    this.sizeHint = hint;
  }

  /**
   * Parses and checks a template over a method's parameters: names from
   * {@link Method#getParameters()}, types from the declaration, the declaring class as the type of
   * {@code {this}} unless the method is static. Call it once, when the proxy is made.
   *
   * @param template the template text
   * @param method the method whose calls it keys
   * @return the compiled template
   * @throws TemplateException if the template is malformed or names a parameter, position or
   *     property the method does not have; the message names the method, the template and what is
   *     available. A {@code {name}} placeholder fails if the class was compiled without
   *     {@code -parameters} (use {@code {0}}, or add the flag)
   */
  public static KeyTemplate parse(String template, Method method) {
    return parse(template, TemplateSignature.of(method));
  }

  /**
   * Parses and checks a template over named parameters that are not a method's (a cached function
   * built by hand, say).
   *
   * @param template the template text
   * @param parameterNames the parameters' names
   * @param parameterTypes their declared types, against which properties are resolved
   * @param receiverType the declared type of {@code {this}}, or null if there is no receiver
   * @return the compiled template
   * @throws TemplateException as {@link #parse(String, Method)}
   */
  public static KeyTemplate parse(String template, List<String> parameterNames,
      List<Class<?>> parameterTypes, Class<?> receiverType) {
    return parse(template, TemplateSignature.of(
        TemplateSignature.describe(parameterNames, parameterTypes), parameterNames, parameterTypes,
        receiverType));
  }

  /**
   * Parses and checks a template against a signature; the general form of the other
   * {@code parse} methods, and the one to use when parameter names are unknown
   * ({@link TemplateSignature#positional}).
   *
   * @param template the template text
   * @param signature what the template may refer to
   * @return the compiled template
   * @throws TemplateException as {@link #parse(String, Method)}
   */
  public static KeyTemplate parse(String template, TemplateSignature signature) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(signature, "signature");
    return new Parser(template, signature).parse();
  }

  /**
   * The template of easy_cache's list-of-names form: {@code ["a", "b"]} is {@code {a}:{b}}. Each
   * name may also be a position or a property path ({@code "user.id"}); no names give the
   * constant, empty template.
   *
   * @param names the parameters that make up the key, in order
   * @param method the method whose calls it keys
   * @return the compiled template
   * @throws TemplateException as {@link #parse(String, Method)}, or if a name holds a brace
   */
  public static KeyTemplate ofParameterNames(List<String> names, Method method) {
    return ofParameterNames(names, TemplateSignature.of(method));
  }

  /**
   * As {@link #ofParameterNames(List, Method)}, against a signature.
   *
   * @param names the parameters that make up the key, in order
   * @param signature what the names may refer to
   * @return the compiled template
   * @throws TemplateException as {@link #parse(String, TemplateSignature)}
   */
  public static KeyTemplate ofParameterNames(List<String> names, TemplateSignature signature) {
    StringBuilder template = new StringBuilder();
    for (String name : names) {
      if (name == null || name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
        throw new TemplateException("key parameter names " + names + " of "
            + signature.description() + ": " + (name == null ? "null" : "'" + name + "'")
            + " is not a parameter name; parameters: " + signature.parameterNames());
      }
      if (template.length() > 0) {
        template.append(':');
      }
      template.append('{').append(name).append('}');
    }
    return parse(template.toString(), signature);
  }

  /**
   * The key of one call.
   *
   * @param receiver the object the method was called on (read by {@code {this}}); may be null
   *     when the template does not use it
   * @param args the call's arguments, one per parameter (null or empty for none)
   * @return the rendered key: ASCII, without spaces or control characters
   * @throws TemplateException if the number of arguments is wrong, a property path meets a null
   *     before its end (the message names the path), a property getter throws, or a value has no
   *     stable text (a class that keeps {@code Object.toString})
   */
  public String render(Object receiver, Object[] args) {
    int given = args == null ? 0 : args.length;
    if (given != signature.arity()) {
      throw renderFailure("expected " + signature.arity() + " arguments, got " + given, null);
    }
    if (constant != null) {
      return constant;
    }
    StringBuilder sb = new StringBuilder(sizeHint);
    for (Object segment : segments) {
      if (segment instanceof String literal) {
        sb.append(literal);
      } else {
        ((Placeholder) segment).appendTo(this, sb, receiver, args);
      }
    }
    return sb.toString();
  }

  /**
   * The text one call's rendering names when the template names a tag or a prefix: the rendering
   * with every value written as its own text ({@link io.tiercache.internal.key.KeyText#decode}), so
   * {@code "user:{email}"} with {@code email = "ann@example.com"} gives
   * {@code "user:ann@example.com"}, the text {@code invalidateTags} and {@code invalidatePrefix}
   * take. Unlike {@link #render}, this is not injective: a value holding {@code :} reads like two.
   *
   * @param receiver as {@link #render}
   * @param args as {@link #render}
   * @return the plain text
   * @throws TemplateException as {@link #render}
   */
  public String renderText(Object receiver, Object[] args) {
    return io.tiercache.internal.key.KeyText.decode(render(receiver, args));
  }

  /**
   * The names of the parameters the template reads, in order of first use, without duplicates;
   * positions count under their parameter's name ({@code arg0} if names are not present). The
   * receiver is not listed: see {@link #usesReceiver()}.
   */
  public List<String> parameterNamesUsed() {
    return parameterNamesUsed;
  }

  /** The positions of the parameters the template reads, as {@link #parameterNamesUsed()}. */
  public List<Integer> parameterIndexesUsed() {
    return parameterIndexesUsed;
  }

  /** Whether the template reads the receiver ({@code {this}}, {@code {this.id}}). */
  public boolean usesReceiver() {
    return usesReceiver;
  }

  /**
   * The placeholders that read the receiver, as written ({@code "{this.id}"}), in order of first
   * use, without duplicates; empty if the template does not read it. Literal braces
   * (<code>&#123;&#123;this&#125;&#125;</code>) are text, not placeholders, and are not listed. A
   * proxy makes these part of a receiver's identity in L1, so that L1 keeps receivers apart
   * wherever the rendered key does.
   */
  public List<String> receiverPlaceholders() {
    Set<String> found = new LinkedHashSet<>();
    for (Object segment : segments) {
      if (segment instanceof Placeholder p && p.index == RECEIVER) {
        found.add("{" + p.expression + "}");
      }
    }
    return List.copyOf(found);
  }

  /** The template text as written. */
  public String source() {
    return source;
  }

  /** What the template was checked against. */
  public TemplateSignature signature() {
    return signature;
  }

  /**
   * Whether the template has no placeholder: every call renders the same key (after the literal
   * text is escaped: <code>a b&#123;&#123;</code> renders <code>a%20b&#123;</code>).
   */
  public boolean isConstant() {
    return constant != null;
  }

  @Override
  public String toString() {
    return "KeyTemplate[\"" + source + "\" of " + signature.description() + "]";
  }

  private TemplateException renderFailure(String detail, Throwable cause) {
    return new TemplateException("cannot render key template \"" + source + "\" of "
        + signature.description() + ": " + detail, cause);
  }

  /** A compiled placeholder: where its root comes from and the getters of its path. */
  private static final class Placeholder {
    final String expression;
    final int index;
    final Class<?> rootType;
    final MethodHandle[] getters;
    final String[] prefixes; // prefixes[i]: the path up to and including name i

    Placeholder(String expression, int index, Class<?> rootType, MethodHandle[] getters,
        String[] path) {
      this.expression = expression;
      this.index = index;
      this.rootType = rootType;
      this.getters = getters;
      this.prefixes = new String[path.length];
      for (int i = 0; i < path.length; i++) {
        prefixes[i] = i == 0 ? path[0] : prefixes[i - 1] + "." + path[i];
      }
    }

    void appendTo(KeyTemplate template, StringBuilder sb, Object receiver, Object[] args) {
      Object value = index == RECEIVER ? receiver : args[index];
      if (getters.length > 0 && value != null && !rootType.isInstance(value)) {
        throw template.renderFailure("{" + expression + "}: '" + prefixes[0] + "' should be a "
            + rootType.getName() + " but is a " + value.getClass().getName(), null);
      }
      for (int i = 0; i < getters.length; i++) {
        if (value == null) {
          throw template.renderFailure("{" + expression + "}: '" + prefixes[i]
              + "' is null, so '" + prefixes[i + 1] + "' cannot be read", null);
        }
        try {
          value = (Object) getters[i].invokeExact(value);
        } catch (Error e) {
          throw e;
        } catch (Throwable t) {
          throw template.renderFailure("{" + expression + "}: reading '" + prefixes[i + 1]
              + "' threw " + t, t);
        }
      }
      try {
        ValueRenderer.render(sb, value);
      } catch (TemplateException e) {
        throw template.renderFailure("{" + expression + "}: " + e.getMessage(), e);
      }
    }
  }

  /** Parses one template against one signature. */
  private static final class Parser {
    private final String source;
    private final TemplateSignature signature;

    Parser(String source, TemplateSignature signature) {
      this.source = source;
      this.signature = signature;
    }

    KeyTemplate parse() {
      List<Object> segments = new ArrayList<>();
      StringBuilder literal = new StringBuilder(); // unescaped literal text since the last placeholder
      String previous = null; // the previous placeholder's expression
      int n = source.length();
      int i = 0;
      while (i < n) {
        char c = source.charAt(i);
        if (c == '{' && i + 1 < n && source.charAt(i + 1) == '{') {
          literal.append('{');
          i += 2;
        } else if (c == '}' && i + 1 < n && source.charAt(i + 1) == '}') {
          literal.append('}');
          i += 2;
        } else if (c == '}') {
          throw failure("'}' at index " + i + " closes no placeholder; write '}}' for a literal '}'");
        } else if (c == '{') {
          int close = source.indexOf('}', i + 1);
          int open = source.indexOf('{', i + 1);
          if (close < 0) {
            throw failure("'{' at index " + i + " is never closed; write '{{' for a literal '{'");
          }
          if (open >= 0 && open < close) {
            throw failure("'{' at index " + open + " is inside the placeholder opened at index " + i
                + "; placeholders do not nest, write '{{' for a literal '{'");
          }
          String expression = source.substring(i + 1, close);
          if (previous != null && !hasSeparator(literal)) {
            throw failure("placeholders {" + previous + "} and {" + expression + "} are "
                + (literal.length() == 0 ? "adjacent" : "separated only by \"" + literal + "\"")
                + ": a rendered value may contain letters, digits, '.', '_', '-' and %-escapes,"
                + " so two different calls could share a key; put ':' or '/' between them, as in {"
                + previous + "}:{" + expression + "}");
          }
          if (literal.length() > 0) {
            segments.add(escapeLiteral(literal));
            literal.setLength(0);
          }
          segments.add(compile(expression, i));
          previous = expression;
          i = close + 1;
        } else {
          literal.append(c);
          i++;
        }
      }
      if (literal.length() > 0) {
        segments.add(escapeLiteral(literal));
      }
      return new KeyTemplate(source, signature, segments);
    }

    private static boolean hasSeparator(CharSequence text) {
      for (int i = 0; i < text.length(); i++) {
        if (PercentEscaper.isSeparator(text.charAt(i))) {
          return true;
        }
      }
      return false;
    }

    private static String escapeLiteral(CharSequence text) {
      StringBuilder sb = new StringBuilder(text.length());
      PercentEscaper.escapeLiteral(sb, text.toString());
      return sb.toString();
    }

    private Placeholder compile(String expression, int at) {
      if (expression.isEmpty()) {
        throw failure("empty placeholder {} at index " + at + "; name a parameter " + example()
            + ", a position ({0}) or the receiver ({this}); write '{{' for a literal '{'");
      }
      String[] path = expression.split("\\.", -1);
      for (String name : path) {
        if (name.isEmpty()) {
          throw failure("placeholder {" + expression + "} has an empty name in its path");
        }
      }
      String root = path[0];
      int index;
      Class<?> type;
      if (root.equals("this")) {
        if (signature.receiverType() == null) {
          throw failure("{" + expression + "} reads the receiver, but " + signature.description()
              + " has none (it is static); parameters: " + signature.parameterNames());
        }
        index = RECEIVER;
        type = signature.receiverType();
      } else if (isDigits(root)) {
        index = root.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(root);
        if (index >= signature.arity()) {
          throw failure("position " + root + " in {" + expression + "} is out of range: "
              + (signature.arity() == 0 ? "there are no parameters"
                  : "positions are 0.." + (signature.arity() - 1) + "; parameters: "
                      + parameterList()));
        }
        type = signature.parameterTypes().get(index);
      } else if (isIdentifier(root)) {
        if (!signature.namesPresent()) {
          throw failure("{" + expression + "} names the parameter '" + root + "', but the"
              + " parameter names are not present (the class was compiled without -parameters,"
              + " so they read " + signature.parameterNames() + "): add -parameters to the"
              + " compiler (maven-compiler-plugin: <parameters>true</parameters>) or use"
              + " positions" + positionsHint());
        }
        index = signature.parameterNames().indexOf(root);
        if (index < 0) {
          throw failure("unknown parameter '" + root + "' in {" + expression + "}; parameters: "
              + parameterList());
        }
        type = signature.parameterTypes().get(index);
      } else {
        throw failure("invalid placeholder {" + expression + "}: '" + root + "' is not a parameter"
            + " name, a position or 'this' (no spaces or format specs); parameters: "
            + parameterList());
      }
      MethodHandle[] getters = new MethodHandle[path.length - 1];
      String prefix = root;
      for (int p = 1; p < path.length; p++) {
        String name = path[p];
        if (!isIdentifier(name)) {
          throw failure("invalid property name '" + name + "' in {" + expression + "}");
        }
        if (type.isPrimitive()) {
          throw failure("{" + expression + "}: '" + prefix + "' is of primitive type "
              + type.getName() + ", which has no property '" + name + "'");
        }
        PropertyResolver.Property property;
        try {
          property = PropertyResolver.find(type, name);
        } catch (IllegalAccessException | RuntimeException e) {
          throw failure("{" + expression + "}: property '" + name + "' of " + type.getName()
              + " cannot be read: " + e.getMessage());
        }
        if (property == null) {
          throw failure(unknownProperty(expression, prefix, type, name));
        }
        getters[p - 1] = property.getter();
        type = property.type();
        prefix = prefix + "." + name;
      }
      String problem = ValueRenderer.problemWithDeclaredType(type);
      if (problem != null) {
        throw failure("{" + expression + "}: " + problem);
      }
      Class<?> rootType = index == RECEIVER ? signature.receiverType()
          : signature.parameterTypes().get(index);
      return new Placeholder(expression, index, rootType, getters, path);
    }

    private String unknownProperty(String expression, String owner, Class<?> type, String name) {
      StringBuilder sb = new StringBuilder("unknown property '").append(name).append("' in {")
          .append(expression).append("}: '").append(owner).append("' is declared as ")
          .append(type.getName()).append(", which has no record component, getter (get/is")
          .append(Character.toUpperCase(name.charAt(0))).append(name.substring(1))
          .append("()), public no-arg method or public field '").append(name)
          .append("'; available: ").append(PropertyResolver.available(type));
      if (type.isInterface() || type == Object.class) {
        sb.append(". Properties are resolved against the declared type, never the runtime type:"
            + " declare the parameter with a type that has '").append(name).append("'");
      }
      return sb.toString();
    }

    private String parameterList() {
      return signature.parameterNames()
          + (signature.receiverType() == null ? "" : "; receiver: {this}");
    }

    private String example() {
      return signature.namesPresent() && signature.arity() > 0
          ? "({" + signature.parameterNames().get(0) + "})" : "({name})";
    }

    private String positionsHint() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < signature.arity(); i++) {
        sb.append(i == 0 ? " " : ", ").append('{').append(i).append('}');
      }
      return sb.length() == 0 ? "" : sb.toString();
    }

    private static boolean isDigits(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }

    private static boolean isIdentifier(String s) {
      if (!Character.isJavaIdentifierStart(s.charAt(0))) {
        return false;
      }
      for (int i = 1; i < s.length(); i++) {
        if (!Character.isJavaIdentifierPart(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private TemplateException failure(String detail) {
      return new TemplateException("key template \"" + source + "\" of "
          + signature.description() + ": " + detail);
    }
  }
}
