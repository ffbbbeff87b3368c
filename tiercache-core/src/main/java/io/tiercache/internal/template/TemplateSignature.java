package io.tiercache.internal.template;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a {@link KeyTemplate} may refer to: the parameters of a method or function (names and
 * declared types), whether those names are real, and the declared type of the receiver.
 *
 * <p>A template is checked against its signature once, when it is parsed; the declared types are
 * what properties are resolved against, so a typo fails then and not on some later call.
 *
 * @param description how error messages name the owner, e.g. {@code com.acme.Users.byState(String,
 *     int)} or {@code function 'quote'}
 * @param parameterNames one name per parameter; {@code arg0, arg1, ...} when names are not present
 * @param namesPresent whether {@code parameterNames} are the real names; when false only positions
 *     ({@code {0}}) may be used, as the names would change the day the code is compiled with
 *     {@code -parameters}
 * @param parameterTypes the declared (erased) type of each parameter
 * @param receiverType the declared type of the receiver ({@code {this}}), or null when there is
 *     none (a static method, a function)
 */
public record TemplateSignature(String description, List<String> parameterNames,
    boolean namesPresent, List<Class<?>> parameterTypes, Class<?> receiverType) {

  /**
   * Checks the signature and copies its lists.
   *
   * @throws IllegalArgumentException if the lists differ in length or real names repeat
   * @throws NullPointerException if the description, a list or an element is null
   */
  public TemplateSignature {
    Objects.requireNonNull(description, "description");
    parameterNames = List.copyOf(parameterNames);
    parameterTypes = List.copyOf(parameterTypes);
    if (parameterNames.size() != parameterTypes.size()) {
      throw new IllegalArgumentException(description + ": " + parameterNames.size()
          + " parameter names " + parameterNames + " but " + parameterTypes.size()
          + " parameter types");
    }
    Set<String> seen = new HashSet<>();
    for (String name : parameterNames) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException(description + ": parameter name '" + name
            + "' appears twice in " + parameterNames);
      }
    }
  }

  /**
   * The signature of a method: its parameters' names (real ones only if the class was compiled
   * with {@code -parameters}) and types, and the declaring class as receiver unless it is static.
   *
   * @param method the method whose calls the template keys
   * @return its signature, described as {@code declaringClass.method(ParamType, ...)}
   */
  public static TemplateSignature of(Method method) {
    Parameter[] parameters = method.getParameters();
    List<String> names = new ArrayList<>(parameters.length);
    boolean present = true;
    for (Parameter p : parameters) {
      names.add(p.getName());
      present &= p.isNamePresent();
    }
    Class<?> receiver = Modifier.isStatic(method.getModifiers()) ? null : method.getDeclaringClass();
    return new TemplateSignature(describe(method), names, present,
        List.of(method.getParameterTypes()), receiver);
  }

  /**
   * The signature of anything with named parameters, e.g. a cached function built by hand.
   *
   * @param description how error messages name it
   * @param parameterNames the real names, one per parameter
   * @param parameterTypes the declared types
   * @param receiverType the receiver's declared type, or null for none
   * @return the signature
   */
  public static TemplateSignature of(String description, List<String> parameterNames,
      List<Class<?>> parameterTypes, Class<?> receiverType) {
    return new TemplateSignature(description, parameterNames, true, parameterTypes, receiverType);
  }

  /**
   * The signature of something whose parameter names are unknown: only positions ({@code {0}})
   * may be used; the names are {@code arg0, arg1, ...}, as {@link Parameter#getName()} reports
   * for classes compiled without {@code -parameters}.
   *
   * @param description how error messages name it
   * @param parameterTypes the declared types
   * @param receiverType the receiver's declared type, or null for none
   * @return the signature
   */
  public static TemplateSignature positional(String description, List<Class<?>> parameterTypes,
      Class<?> receiverType) {
    List<String> names = new ArrayList<>(parameterTypes.size());
    for (int i = 0; i < parameterTypes.size(); i++) {
      names.add("arg" + i);
    }
    return new TemplateSignature(description, names, false, parameterTypes, receiverType);
  }

  /** The number of parameters. */
  public int arity() {
    return parameterTypes.size();
  }

  /** {@code com.acme.Users.byState(String, int)}: the class's binary name, simple parameter types. */
  static String describe(Method method) {
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      params.add(type.getSimpleName());
    }
    return method.getDeclaringClass().getName() + "." + method.getName() + params;
  }

  /** {@code parameters (String state, int limit)}, for signatures built by hand. */
  static String describe(List<String> names, List<Class<?>> types) {
    StringJoiner params = new StringJoiner(", ", "parameters (", ")");
    for (int i = 0; i < names.size(); i++) {
      params.add(types.get(i).getSimpleName() + " " + names.get(i));
    }
    return params.toString();
  }
}
