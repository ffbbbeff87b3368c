package io.tiercache.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

/**
 * One call of a cached method, as key, ttl and tag functions see it: the method, the receiver,
 * and the arguments by position or by name (easy_cache's {@code meta}).
 *
 * @param method the cached method
 * @param receiver the object it was called on
 * @param args the arguments in declaration order
 */
public record CallInfo(Method method, Object receiver, Object[] args) {

  /**
   * The argument at {@code index}.
   *
   * @param index the parameter's position, from 0
   * @return the argument passed for that parameter, possibly null
   */
  public Object arg(int index) {
    return args[index];
  }

  /**
   * The argument of the parameter named {@code name} (needs {@code -parameters}).
   *
   * @param name the parameter's name as compiled
   * @return the argument passed for that parameter, possibly null
   * @throws IllegalArgumentException if the method has no such parameter
   */
  public Object arg(String name) {
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i].getName().equals(name)) {
        return args[i];
      }
    }
    throw new IllegalArgumentException(method + " has no parameter named '" + name + "'");
  }
}
