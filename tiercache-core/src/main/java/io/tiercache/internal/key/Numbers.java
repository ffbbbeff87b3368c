package io.tiercache.internal.key;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Number equality for untyped keys: numerically equal values are equal whatever their boxes (3,
 * 3L, 3.0, BigDecimal("3.00")), as Python's {@code lru_cache(typed=False)} treats 3 and 3.0.
 * Comparisons are exact: a long beyond 2^53 is not equal to the nearest double.
 */
final class Numbers {
  private static final double TWO_63 = 0x1p63;

  private Numbers() {}

  static boolean isLongLike(Object n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  static boolean isFloating(Object n) {
    return n instanceof Double || n instanceof Float;
  }

  /** True for the number types whose values have a canonical encoding. */
  static boolean isSupported(Number n) {
    return isLongLike(n) || isFloating(n) || n instanceof BigInteger || n instanceof BigDecimal;
  }

  static int untypedHash(Number n) {
    if (isLongLike(n)) {
      return Long.hashCode(n.longValue());
    }
    if (isFloating(n)) {
      return doubleHash(n.doubleValue());
    }
    if (n instanceof BigInteger bi) {
      return bi.bitLength() < 64 ? Long.hashCode(bi.longValue()) : bi.hashCode();
    }
    if (n instanceof BigDecimal bd) {
      return decimalHash(bd);
    }
    return n.hashCode();
  }

  private static int doubleHash(double d) {
    if (isIntegralInLongRange(d)) {
      return Long.hashCode((long) d);
    }
    if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
      return Double.hashCode(d);
    }
    return new BigDecimal(d).toBigInteger().hashCode(); // integral beyond long: as BigInteger hashes
  }

  private static int decimalHash(BigDecimal bd) {
    if (bd.signum() == 0) {
      return 0;
    }
    BigDecimal s = bd.stripTrailingZeros();
    if (s.scale() <= 0) {
      BigInteger bi = s.toBigInteger();
      return bi.bitLength() < 64 ? Long.hashCode(bi.longValue()) : bi.hashCode();
    }
    double d = s.doubleValue();
    if (!Double.isInfinite(d) && new BigDecimal(d).compareTo(s) == 0) {
      return Double.hashCode(d); // exactly a double: hash as the double does
    }
    return s.hashCode();
  }

  private static boolean isIntegralInLongRange(double d) {
    return d == Math.rint(d) && d >= -TWO_63 && d < TWO_63;
  }

  static boolean untypedEquals(Number a, Number b) {
    Class<?> ca = a.getClass();
    if (ca == b.getClass() && ca != Double.class && ca != Float.class && ca != BigDecimal.class) {
      return a.equals(b);
    }
    if (isLongLike(a) && isLongLike(b)) {
      return a.longValue() == b.longValue();
    }
    if (isFloating(a) && isFloating(b)) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      return x == y || (Double.isNaN(x) && Double.isNaN(y));
    }
    if (!isSupported(a) || !isSupported(b)) {
      return a.equals(b);
    }
    BigDecimal x = exact(a);
    BigDecimal y = exact(b);
    if (x == null || y == null) { // NaN or infinity on one side
      double dx = a.doubleValue();
      double dy = b.doubleValue();
      return x == null && y == null && (dx == dy || (Double.isNaN(dx) && Double.isNaN(dy)));
    }
    return x.compareTo(y) == 0;
  }

  /** The exact value, or null for NaN and infinities. */
  private static BigDecimal exact(Number n) {
    if (isLongLike(n)) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (isFloating(n)) {
      double d = n.doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(d);
    }
    if (n instanceof BigInteger bi) {
      return new BigDecimal(bi);
    }
    return (BigDecimal) n;
  }

  /**
   * The canonical text of a number's value, the same for every box of that value: an integer that
   * fits a long as its decimal digits, any other finite value as {@code <unscaled>e<exponent>} with
   * no trailing zeros in the unscaled part, and {@code NaN}, {@code Inf}, {@code -Inf}.
   */
  static String canonicalValue(Number n) {
    if (isLongLike(n)) {
      return Long.toString(n.longValue());
    }
    if (isFloating(n)) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Inf" : "-Inf";
      }
      return isIntegralInLongRange(d) ? Long.toString((long) d) : canonicalDecimal(new BigDecimal(d));
    }
    if (n instanceof BigInteger bi) {
      return bi.bitLength() < 64 ? Long.toString(bi.longValue()) : canonicalDecimal(new BigDecimal(bi));
    }
    return canonicalDecimal((BigDecimal) n);
  }

  private static String canonicalDecimal(BigDecimal bd) {
    if (bd.signum() == 0) {
      return "0";
    }
    BigDecimal s = bd.stripTrailingZeros();
    if (s.scale() <= 0 && s.precision() - s.scale() <= 19) {
      BigInteger bi = s.toBigInteger();
      if (bi.bitLength() < 64) {
        return Long.toString(bi.longValue());
      }
    }
    return s.unscaledValue() + "e" + (-s.scale());
  }

  /** The text of a number with its type, for typed keys: a tag letter and the box's own text. */
  static String typedValue(Number n) {
    String tag;
    if (n instanceof Integer) {
      tag = "i";
    } else if (n instanceof Long) {
      tag = "l";
    } else if (n instanceof Short) {
      tag = "h";
    } else if (n instanceof Byte) {
      tag = "y";
    } else if (n instanceof Double) {
      tag = "d";
    } else if (n instanceof Float) {
      tag = "f";
    } else if (n instanceof BigInteger) {
      tag = "I";
    } else {
      tag = "D"; // BigDecimal: scale is part of its identity, as in equals
    }
    return tag + n;
  }
}
