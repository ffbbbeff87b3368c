package io.tiercache.internal.template;

import io.tiercache.TemplateException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The text of one value in a rendered key; shared by {@link KeyTemplate} and {@link io.tiercache.KeyParts} so
 * a key built by hand equals the template's. The rules are listed in the package documentation.
 *
 * <p>Every atom is percent-escaped ({@link PercentEscaper#escapeValue}), so the structural
 * characters {@code ~ [ ] { } ( ) , =} and the separators {@code : /} never come from a value's
 * own text: the rendering of a value of a given type parses back to one value only. How a class
 * is rendered is decided once per class ({@link ClassValue}), not per call.
 */
public final class ValueRenderer {
  /** The rendering of null (and of an empty {@link Optional}); no escaped text contains it. */
  static final String NULL_TOKEN = "~";
  /** Nesting deeper than this is refused (a collection that contains itself, say). */
  static final int MAX_DEPTH = 32;
  /** Decimals from 1e-7 up to (not including) 1e21 are written plainly, others as {@code NeM}. */
  private static final int MIN_PLAIN_EXPONENT = -7;
  private static final int MAX_PLAIN_EXPONENT = 20;
  /** Written for an element of a collection, record or map that renders to nothing ("", say). */
  static final String EMPTY_ELEMENT = "''";

  private enum Kind {
    STRING, CHARACTER, BOOLEAN, INTEGRAL, DOUBLE, FLOAT, BIG_INTEGER, BIG_DECIMAL, ENUM, TEXT, DATE,
    RECORD, OPTIONAL, SET, MAP, SEQUENCE, ARRAY, CUSTOM, IDENTITY
  }

  private static final ClassValue<Kind> KINDS = new ClassValue<>() {
    @Override
    protected Kind computeValue(Class<?> type) {
      return classify(type);
    }
  };

  /** Accessors of a record's components as {@code (Object)Object} handles, or why there are none. */
  private record RecordAccess(MethodHandle[] accessors, String problem) {}

  private static final ClassValue<RecordAccess> RECORDS = new ClassValue<>() {
    @Override
    protected RecordAccess computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      MethodHandle[] accessors = new MethodHandle[components.length];
      for (int i = 0; i < components.length; i++) {
        Method accessor = components[i].getAccessor();
        try {
          accessors[i] = PropertyResolver.unreflect(accessor)
              .asType(MethodType.methodType(Object.class, Object.class));
        } catch (IllegalAccessException | RuntimeException e) {
          return new RecordAccess(null, "the components of record " + type.getName()
              + " are not accessible (" + e.getMessage() + "); make the record public, open its"
              + " package to io.tiercache, or render one of its components ({x.component})");
        }
      }
      return new RecordAccess(accessors, null);
    }
  };

  private ValueRenderer() {}

  /** The rendering of {@code value}. */
  public static String render(Object value) {
    StringBuilder sb = new StringBuilder();
    render(sb, value, 0);
    return sb.toString();
  }

  /** Appends the rendering of {@code value}. */
  public static void render(StringBuilder sb, Object value) {
    render(sb, value, 0);
  }

  /**
   * Why values declared as {@code type} could never be rendered stably, or null if they may be.
   * Called at parse time for a placeholder's declared type: a concrete class that keeps
   * {@code Object.toString} (an identity hash) and a record whose components cannot be read fail
   * then rather than on the first call. Interfaces, abstract classes and {@code Object} are
   * decided per runtime class at render time.
   */
  static String problemWithDeclaredType(Class<?> type) {
    if (type.isPrimitive() || type == Object.class) {
      return null;
    }
    Kind kind = KINDS.get(type);
    if (kind == Kind.RECORD) {
      return RECORDS.get(type).problem();
    }
    if (kind == Kind.IDENTITY && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
      return identityProblem(type);
    }
    return null;
  }

  private static String identityProblem(Class<?> type) {
    return "values of type " + type.getName() + " would be rendered by their toString, but "
        + type.getSimpleName() + " does not override Object.toString, whose text holds an identity"
        + " hash: no two calls would share a key. Render one of its properties ({x.id}), make it a"
        + " record, or give it a toString that identifies its value";
  }

  private static void render(StringBuilder sb, Object value, int depth) {
    if (value == null) {
      sb.append(NULL_TOKEN);
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new TemplateException("a value is nested more than " + MAX_DEPTH
          + " levels deep (a collection that contains itself?)");
    }
    switch (KINDS.get(value.getClass())) {
      case STRING -> PercentEscaper.escapeValue(sb, (String) value);
      case CHARACTER -> PercentEscaper.escapeValue(sb, value.toString());
      case BOOLEAN -> sb.append(((Boolean) value) ? "true" : "false");
      case INTEGRAL -> sb.append(((Number) value).longValue());
      case DOUBLE -> sb.append(number((Double) value));
      case FLOAT -> sb.append(number((Float) value));
      case BIG_INTEGER -> sb.append(decimal(new BigDecimal((BigInteger) value)));
      case BIG_DECIMAL -> sb.append(decimal((BigDecimal) value));
      case ENUM -> PercentEscaper.escapeValue(sb, ((Enum<?>) value).name());
      case TEXT -> PercentEscaper.escapeValue(sb, value.toString());
      case DATE -> PercentEscaper.escapeValue(sb, instant((Date) value).toString());
      case RECORD -> renderRecord(sb, value, depth);
      case OPTIONAL -> render(sb, ((Optional<?>) value).orElse(null), depth + 1);
      case SET -> {
        sb.append('{');
        renderSorted(sb, (Collection<?>) value, depth);
        sb.append('}');
      }
      case MAP -> {
        Map<?, ?> map = (Map<?, ?>) value;
        List<String> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          StringBuilder e = new StringBuilder();
          renderElement(e, entry.getKey(), depth + 1);
          e.append('=');
          renderElement(e, entry.getValue(), depth + 1);
          entries.add(e.toString());
        }
        Collections.sort(entries);
        sb.append('{').append(String.join(",", entries)).append('}');
      }
      case SEQUENCE -> {
        sb.append('[');
        boolean first = true;
        for (Object element : (Collection<?>) value) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          renderElement(sb, element, depth + 1);
        }
        sb.append(']');
      }
      case ARRAY -> {
        sb.append('[');
        int length = Array.getLength(value);
        for (int i = 0; i < length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          renderElement(sb, Array.get(value, i), depth + 1);
        }
        sb.append(']');
      }
      case CUSTOM -> PercentEscaper.escapeValue(sb, String.valueOf(value));
      case IDENTITY -> throw new TemplateException(identityProblem(value.getClass()));
      default -> throw new AssertionError(value.getClass());
    }
  }

  /**
   * A date's instant: {@code toInstant()} where it works (keeping a {@code java.sql.Timestamp}'s
   * nanoseconds), else its milliseconds ({@code java.sql.Date} and {@code Time} refuse
   * {@code toInstant()}).
   */
  private static Instant instant(Date date) {
    try {
      return date.toInstant();
    } catch (UnsupportedOperationException e) {
      return Instant.ofEpochMilli(date.getTime());
    }
  }

  /**
   * Appends an element of a collection, record or map: as {@link #render}, but an element that
   * renders to nothing is written {@link #EMPTY_ELEMENT}, so {@code [""]} and {@code []} differ.
   * ({@code '} is always escaped in values, so no element can render to {@code ''} otherwise.)
   */
  private static void renderElement(StringBuilder sb, Object element, int depth) {
    int before = sb.length();
    render(sb, element, depth);
    if (sb.length() == before) {
      sb.append(EMPTY_ELEMENT);
    }
  }

  private static void renderRecord(StringBuilder sb, Object value, int depth) {
    RecordAccess access = RECORDS.get(value.getClass());
    if (access.problem() != null) {
      throw new TemplateException(access.problem());
    }
    sb.append('(');
    MethodHandle[] accessors = access.accessors();
    for (int i = 0; i < accessors.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object component;
      try {
        component = (Object) accessors[i].invokeExact(value);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new TemplateException("reading a component of record " + value.getClass().getName()
            + " failed: " + t, t);
      }
      renderElement(sb, component, depth + 1);
    }
    sb.append(')');
  }

  private static void renderSorted(StringBuilder sb, Collection<?> values, int depth) {
    List<String> rendered = new ArrayList<>(values.size());
    for (Object element : values) {
      StringBuilder e = new StringBuilder();
      renderElement(e, element, depth + 1);
      rendered.add(e.toString());
    }
    Collections.sort(rendered);
    sb.append(String.join(",", rendered));
  }

  /**
   * A double's text: the shortest decimal that reads back as the same double (rounding the exact
   * value half-even to 1, 2, ... 17 significant digits), written by {@link #decimal}. Computed
   * from the value alone, so it is the same in every JVM version (unlike
   * {@link Double#toString}, whose digits changed in JDK 19). {@code -0.0} renders as {@code 0}.
   */
  static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return decimal(rounded);
      }
    }
    return decimal(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
  }

  /** A float's text: as {@link #number(double)} with float precision (at most 9 digits). */
  static String number(float f) {
    if (Float.isNaN(f)) {
      return "NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "Infinity" : "-Infinity";
    }
    BigDecimal exact = new BigDecimal(f);
    for (int digits = 1; digits < 9; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.floatValue() == f) {
        return decimal(rounded);
      }
    }
    return decimal(exact.round(new MathContext(9, RoundingMode.HALF_EVEN)));
  }

  /**
   * A decimal's canonical text: trailing zeros stripped ({@code 3.00} is {@code 3}); written
   * plainly ({@code 0.25}, {@code 100}) when {@code 1e-7 <= |value| < 1e21} (the bounds of
   * JavaScript's {@code Number.toString}), otherwise as {@code <unscaled>e<exponent>} with no
   * trailing zeros in the unscaled digits ({@code 1e21}, {@code 15e-301}). Plain text never holds
   * an {@code e}, so the two forms cannot meet, and each value has exactly one text.
   */
  static String decimal(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal s = value.stripTrailingZeros();
    int exponent = s.precision() - s.scale() - 1; // of the leading digit: 1234.5 -> 3
    if (exponent >= MIN_PLAIN_EXPONENT && exponent <= MAX_PLAIN_EXPONENT) {
      return s.toPlainString();
    }
    return s.unscaledValue() + "e" + (-s.scale());
  }

  private static Kind classify(Class<?> type) {
    if (type == String.class) {
      return Kind.STRING;
    }
    if (type == Character.class) {
      return Kind.CHARACTER;
    }
    if (type == Boolean.class) {
      return Kind.BOOLEAN;
    }
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
      return Kind.INTEGRAL;
    }
    if (type == Double.class) {
      return Kind.DOUBLE;
    }
    if (type == Float.class) {
      return Kind.FLOAT;
    }
    if (type == BigInteger.class) {
      return Kind.BIG_INTEGER;
    }
    if (type == BigDecimal.class) {
      return Kind.BIG_DECIMAL;
    }
    if (Enum.class.isAssignableFrom(type)) {
      return Kind.ENUM;
    }
    if (type == UUID.class || TemporalAccessor.class.isAssignableFrom(type)
        || Duration.class == type || Period.class == type || ZoneId.class.isAssignableFrom(type)) {
      return Kind.TEXT;
    }
    if (Date.class.isAssignableFrom(type)) {
      return Kind.DATE; // Date.toString depends on the JVM's default time zone
    }
    if (type.isRecord()) {
      return Kind.RECORD;
    }
    if (type == Optional.class) {
      return Kind.OPTIONAL;
    }
    if (Set.class.isAssignableFrom(type)) {
      return Kind.SET;
    }
    if (Map.class.isAssignableFrom(type)) {
      return Kind.MAP;
    }
    if (Collection.class.isAssignableFrom(type)) {
      return Kind.SEQUENCE;
    }
    if (type.isArray()) {
      return Kind.ARRAY;
    }
    try {
      Method toString = type.getMethod("toString");
      return toString.getDeclaringClass() == Object.class ? Kind.IDENTITY : Kind.CUSTOM;
    } catch (NoSuchMethodException e) {
      return Kind.IDENTITY; // an interface that does not redeclare toString
    }
  }
}
