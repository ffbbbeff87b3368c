package io.tiercache.internal.key;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.UUID;

/**
 * The one normalisation of untyped keys, for both layers: two arguments share an L1 entry exactly
 * when {@link L2KeyEncoder} (untyped) writes them the same. At the top level, numbers are compared
 * by {@link Numbers} in {@link ArgsKey} itself. Inside lists, sets, maps, optionals, arrays and
 * records, a number is replaced by its canonical value (a {@link Long} when
 * {@link Numbers#canonicalValue} is an integer that fits, otherwise {@link Num} of that text), and
 * the containers by forms compared by value:
 *
 * <ul>
 *   <li>a list, set, map or optional stays itself when none of its elements changed (their
 *       {@code equals} already compares by value across implementations), else becomes a list,
 *       set or map of the normalised elements; a set or map whose normalised elements collide
 *       ({@code {3, 3L}}, written {@code {n3,n3}} in L2) becomes a {@link Multiset} of them;
 *   <li>an array becomes {@link ArrayForm} (its component type, as in L2, and its normalised
 *       elements), except a top-level array of {@code boolean}, {@code char} or an integral
 *       primitive, whose content equality in {@link ArgsKey} already is the L2 one;
 *   <li>a record becomes {@link RecordForm} (its class and normalised components), unless every
 *       component is declared with a type whose {@code equals} already is the L2 equality
 *       ({@code int}, {@code String}, an enum, ...; not {@code double}, whose {@code -0.0} differs).
 * </ul>
 *
 * <p>The key keeps the arguments as they are (L2 encodes the originals); {@link ArgsKey} hashes and
 * compares a container argument by its form ({@link #formOf}). Arguments that are not containers
 * never reach this class.
 */
final class UntypedForms {
  /** Deeper than this is left as it is (L2 refuses it: a cycle?). */
  private static final int MAX_DEPTH = 32;

  private UntypedForms() {}

  /** A number inside a container whose canonical value is not a long: compared by that text. */
  record Num(String canonical) {}

  /** Elements compared as a multiset: a set or map whose normalised elements collided. */
  record Multiset(Map<Object, Integer> counts) {}

  /** An array: its component type (part of its L2 key) and its normalised elements. */
  record ArrayForm(Class<?> component, List<Object> elements) {}

  /** A record: its class and its normalised components. */
  record RecordForm(Class<?> type, List<Object> components) {}

  /**
   * The accessors of a record class's components, all made accessible; empty when every component
   * compares as L2 writes it (the record is then its own form); null when they cannot be read.
   */
  private static final ClassValue<Method[]> RECORD_ACCESSORS = new ClassValue<>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      boolean stable = true;
      for (RecordComponent component : components) {
        stable &= stableEquality(component.getType());
      }
      if (stable) {
        return new Method[0];
      }
      Method[] accessors = new Method[components.length];
      try {
        for (int i = 0; i < components.length; i++) {
          accessors[i] = components[i].getAccessor();
          accessors[i].setAccessible(true);
        }
      } catch (RuntimeException e) {
        return null;
      }
      return accessors;
    }
  };

  /** Whether values declared as {@code type} compare by {@code equals} exactly as L2 writes them. */
  private static boolean stableEquality(Class<?> type) {
    if (type.isPrimitive()) {
      return type != double.class && type != float.class;
    }
    return type == String.class || type == Boolean.class || type == Character.class
        || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == UUID.class || type.isEnum()
        || (TemporalAccessor.class.isAssignableFrom(type) && Modifier.isFinal(type.getModifiers()));
  }

  /**
   * Whether an argument is a container whose elements untyped keys compare by their form (see the
   * class comment); anything else is compared as it is.
   */
  static boolean isContainer(Object arg) {
    return arg instanceof List || arg instanceof Set || arg instanceof Map || arg instanceof Optional
        || arg instanceof Record || arg.getClass().isArray();
  }

  /**
   * The form an untyped key compares a top-level argument by: the argument itself unless it is a
   * container whose form differs from it. Computed where the key hashes and compares arguments,
   * never when it is built, so a call whose arguments are not containers does no more than before.
   */
  static Object formOf(Object arg) {
    return arg == null || !isContainer(arg) ? arg : form(arg, 0);
  }

  private static Object form(Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return value;
    }
    Class<?> c = value.getClass();
    if (c == String.class || c == Long.class) {
      return value;
    }
    if (value instanceof Number n) {
      return number(n);
    }
    if (value instanceof List<?> list) {
      return list(list, depth);
    }
    if (value instanceof Set<?> set) {
      return set(set, depth);
    }
    if (value instanceof Map<?, ?> map) {
      return map(map, depth);
    }
    if (value instanceof Optional<?> optional) {
      if (optional.isEmpty()) {
        return value;
      }
      Object inner = optional.get();
      Object f = form(inner, depth + 1);
      return f == inner ? value : Optional.of(f);
    }
    if (value instanceof Record) {
      return record(value, depth);
    }
    if (c.isArray()) {
      return array(value, depth);
    }
    return value;
  }

  private static Object number(Number n) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (!(n instanceof Double || n instanceof Float || n instanceof BigInteger || n instanceof BigDecimal)) {
      return n; // not a number L2 can write: it refuses the argument
    }
    String canonical = Numbers.canonicalValue(n);
    if (isLongText(canonical)) {
      return Long.parseLong(canonical);
    }
    return new Num(canonical);
  }

  /** Whether {@code s} is how {@link Numbers#canonicalValue} writes a long. */
  private static boolean isLongText(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (s.length() == start) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The forms of {@code elements} in order, or null when every one is its own form; allocates
   * only from the first element that changed.
   */
  private static List<Object> forms(Iterable<?> elements, int size, int depth) {
    List<Object> forms = null;
    int i = 0;
    for (Object element : elements) {
      Object f = form(element, depth + 1);
      if (forms == null && f != element) {
        forms = new ArrayList<>(size);
        int j = 0;
        for (Object before : elements) {
          if (j++ == i) {
            break;
          }
          forms.add(before);
        }
      }
      if (forms != null) {
        forms.add(f);
      }
      i++;
    }
    return forms;
  }

  private static Object list(List<?> list, int depth) {
    List<Object> forms;
    if (list instanceof RandomAccess) {
      forms = null;
      int size = list.size();
      for (int i = 0; i < size; i++) {
        Object element = list.get(i);
        Object f = form(element, depth + 1);
        if (forms == null && f != element) {
          forms = new ArrayList<>(list.subList(0, i));
        }
        if (forms != null) {
          forms.add(f);
        }
      }
    } else {
      forms = forms(list, list.size(), depth);
    }
    return forms == null ? list : forms;
  }

  private static Object set(Set<?> set, int depth) {
    List<Object> forms = forms(set, set.size(), depth);
    if (forms == null) {
      return set;
    }
    Set<Object> distinct = new HashSet<>(forms);
    return distinct.size() == forms.size() ? distinct : multiset(forms);
  }

  private static Object map(Map<?, ?> map, int depth) {
    List<Object> keys = forms(map.keySet(), map.size(), depth);
    List<Object> values = forms(map.values(), map.size(), depth);
    if (keys == null && values == null) {
      return map;
    }
    keys = keys != null ? keys : new ArrayList<>(map.keySet());
    values = values != null ? values : new ArrayList<>(map.values());
    Map<Object, Object> forms = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      forms.put(keys.get(i), values.get(i));
    }
    if (forms.size() == keys.size()) {
      return forms;
    }
    List<Object> entries = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      entries.add(Arrays.asList(keys.get(i), values.get(i)));
    }
    return multiset(entries);
  }

  private static Multiset multiset(List<Object> elements) {
    Map<Object, Integer> counts = new HashMap<>();
    for (Object element : elements) {
      counts.merge(element, 1, Integer::sum);
    }
    return new Multiset(counts);
  }

  private static Object record(Object value, int depth) {
    Method[] accessors = RECORD_ACCESSORS.get(value.getClass());
    if (accessors == null || accessors.length == 0) {
      return value; // its equals is the L2 equality, or L2 cannot read it either
    }
    List<Object> components = new ArrayList<>(accessors.length);
    for (Method accessor : accessors) {
      try {
        components.add(form(accessor.invoke(value), depth + 1));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return value; // L2 refuses it too
      }
    }
    return new RecordForm(value.getClass(), components);
  }

  private static Object array(Object value, int depth) {
    Class<?> component = value.getClass().getComponentType();
    if (depth == 0 && component.isPrimitive() && component != double.class && component != float.class) {
      return value; // ArgsKey compares it by content, which for booleans, chars and integers is L2's
    }
    int length = java.lang.reflect.Array.getLength(value);
    List<Object> elements = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      elements.add(form(java.lang.reflect.Array.get(value, i), depth + 1));
    }
    return new ArrayForm(component, elements);
  }
}
