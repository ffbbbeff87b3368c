package io.tiercache.internal.template;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Resolution of a template's property names against a declared type, once, at parse time.
 *
 * <p>{@code x} is, in this order: the record component {@code x}; a public no-arg getter
 * {@code getX()} or {@code isX()} (the latter returning {@code boolean} or {@code Boolean}); a
 * public no-arg method {@code x()}; a public instance field {@code x}. Static members, methods
 * returning {@code void} and the methods of {@code Object} ({@code getClass}, {@code hashCode},
 * {@code toString}, ...) are never properties. The result is a {@link MethodHandle} of type
 * {@code (Object)Object}, so rendering does no reflective lookup.
 */
final class PropertyResolver {
  private static final Set<String> OBJECT_METHODS =
      Set.of("getClass", "hashCode", "toString", "equals", "notify", "notifyAll", "wait", "clone",
          "finalize");
  private static final MethodType OBJECT_TO_OBJECT =
      MethodType.methodType(Object.class, Object.class);

  /**
   * A resolved property.
   *
   * @param getter reads it: {@code (Object)Object}, boxing primitives
   * @param type its declared (erased) type, against which the next name in a path is resolved
   * @param member what it was resolved to, for messages: {@code record component id},
   *     {@code getName()}, {@code field city}
   */
  record Property(MethodHandle getter, Class<?> type, String member) {}

  private PropertyResolver() {}

  /**
   * The property {@code name} of values declared as {@code owner}, or null if it has none.
   *
   * @throws IllegalAccessException if it exists but cannot be read (a class in a module that
   *     does not open its package)
   */
  static Property find(Class<?> owner, String name) throws IllegalAccessException {
    if (owner.isRecord()) {
      for (RecordComponent component : owner.getRecordComponents()) {
        if (component.getName().equals(name)) {
          return method(component.getAccessor(), "record component " + name);
        }
      }
    }
    String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    Method getter = publicNoArg(owner, "get" + capitalized);
    if (getter != null) {
      return method(getter, getter.getName() + "()");
    }
    Method is = publicNoArg(owner, "is" + capitalized);
    if (is != null && (is.getReturnType() == boolean.class || is.getReturnType() == Boolean.class)) {
      return method(is, is.getName() + "()");
    }
    Method plain = publicNoArg(owner, name);
    if (plain != null) {
      return method(plain, plain.getName() + "()");
    }
    try {
      Field field = owner.getField(name);
      if (!Modifier.isStatic(field.getModifiers())) {
        return new Property(unreflectGetter(field).asType(OBJECT_TO_OBJECT), field.getType(),
            "field " + name);
      }
    } catch (NoSuchFieldException e) {
      // not a field either
    }
    return null;
  }

  /** The property names values declared as {@code owner} offer, sorted, for error messages. */
  static SortedSet<String> available(Class<?> owner) {
    SortedSet<String> names = new TreeSet<>();
    if (owner.isPrimitive()) {
      return names;
    }
    if (owner.isRecord()) {
      for (RecordComponent component : owner.getRecordComponents()) {
        names.add(component.getName());
      }
    }
    for (Method m : owner.getMethods()) {
      if (!isCandidate(m)) {
        continue;
      }
      String n = m.getName();
      if (n.length() > 3 && n.startsWith("get") && Character.isUpperCase(n.charAt(3))) {
        names.add(decapitalize(n.substring(3)));
      } else if (n.length() > 2 && n.startsWith("is") && Character.isUpperCase(n.charAt(2))
          && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
        names.add(decapitalize(n.substring(2)));
      } else {
        names.add(n);
      }
    }
    for (Field f : owner.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        names.add(f.getName());
      }
    }
    return names;
  }

  private static Method publicNoArg(Class<?> owner, String name) {
    try {
      Method m = owner.getMethod(name);
      return isCandidate(m) ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static boolean isCandidate(Method m) {
    return m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
        && m.getReturnType() != void.class && !OBJECT_METHODS.contains(m.getName());
  }

  private static Property method(Method m, String member) throws IllegalAccessException {
    return new Property(unreflect(m).asType(OBJECT_TO_OBJECT), m.getReturnType(), member);
  }

  /** JavaBeans' rule: {@code Name} -> {@code name}, but {@code URL} stays {@code URL}. */
  private static String decapitalize(String s) {
    if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isUpperCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * A handle for a public method, also when its class is not public (a nested type, a
   * package-private implementation): then the method is made accessible first.
   *
   * @throws IllegalAccessException if it cannot be made accessible
   */
  static MethodHandle unreflect(Method method) throws IllegalAccessException {
    try {
      return MethodHandles.publicLookup().unreflect(method);
    } catch (IllegalAccessException e) {
      if (!method.trySetAccessible()) {
        throw notOpen(method.getDeclaringClass());
      }
      return MethodHandles.lookup().unreflect(method);
    }
  }

  /** As {@link #unreflect(Method)}, for a public instance field. */
  static MethodHandle unreflectGetter(Field field) throws IllegalAccessException {
    try {
      return MethodHandles.publicLookup().unreflectGetter(field);
    } catch (IllegalAccessException e) {
      if (!field.trySetAccessible()) {
        throw notOpen(field.getDeclaringClass());
      }
      return MethodHandles.lookup().unreflectGetter(field);
    }
  }

  private static IllegalAccessException notOpen(Class<?> type) {
    return new IllegalAccessException(type.getName() + " is not public and its package "
        + type.getPackageName() + " is not open to io.tiercache");
  }
}
