package io.tiercache.internal.key;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The L1 key of one call: the arguments (with an instance method's receiver replaced by its
 * instance key), compared by value. Built on every call, so it does no hashing beyond the
 * arguments' own {@code hashCode} and no string building.
 *
 * <p>Untyped keys treat numerically equal numbers as equal (3, 3L and 3.0 share an entry), at the
 * top level by {@link Numbers} and, inside lists, sets, maps, optionals, arrays and records, by
 * the forms {@link UntypedForms} gives them where keys hash and compare (never when a key is
 * built, so arguments that are not containers cost nothing more): two untyped keys are equal exactly
 * when {@link L2KeyEncoder} writes them the same. Arguments that are not containers are kept as
 * they are, so equality and hashing do no extra work for them. Typed keys use each argument's
 * {@code equals}. Arrays compare by content.
 */
public abstract class ArgsKey {
  /**
   * Stands in the receiver's place when receivers share entries (a service proxy's instance
   * methods without an instance key): equal to itself in L1 keys, absent from L2 keys.
   */
  public static final Object SHARED_RECEIVER = new Object() {
    @Override
    public String toString() {
      return "<any receiver>";
    }
  };

  private final int hash;
  final boolean typed;

  ArgsKey(int hash, boolean typed) {
    this.hash = hash;
    this.typed = typed;
  }

  /** How many arguments the key holds. */
  public abstract int arity();

  /** The argument at {@code index}. */
  public abstract Object arg(int index);

  /** Whether numbers of different types are distinct. */
  public final boolean typed() {
    return typed;
  }

  /** The key of a call with no arguments. */
  public static ArgsKey of(boolean typed) {
    return typed ? Key0.TYPED : Key0.UNTYPED;
  }

  /** The key of a one-argument call. */
  public static ArgsKey of(Object a, boolean typed) {
    return new Key1(a, typed);
  }

  /** The key of a two-argument call. */
  public static ArgsKey of(Object a, Object b, boolean typed) {
    return new Key2(a, b, typed);
  }

  /** The key of a three-argument call. */
  public static ArgsKey of(Object a, Object b, Object c, boolean typed) {
    return new Key3(a, b, c, typed);
  }

  /** The key of a call with any number of arguments; the key takes ownership of the array. */
  public static ArgsKey ofArray(Object[] args, boolean typed) {
    return switch (args.length) {
      case 0 -> of(typed);
      case 1 -> of(args[0], typed);
      case 2 -> of(args[0], args[1], typed);
      case 3 -> of(args[0], args[1], args[2], typed);
      default -> new KeyN(args, typed);
    };
  }

  @Override
  public final int hashCode() {
    return hash;
  }

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ArgsKey other) || other.hash != hash || other.arity() != arity()) {
      return false;
    }
    return sameArgs(other);
  }

  abstract boolean sameArgs(ArgsKey other);

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < arity(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object arg = arg(i);
      if (arg != null && arg.getClass().isArray()) {
        String wrapped = Arrays.deepToString(new Object[] {arg});
        sb.append(wrapped, 1, wrapped.length() - 1);
      } else {
        sb.append(arg);
      }
    }
    return sb.append(')').toString();
  }

  static int hash(Object x, boolean typed) {
    if (x == null) {
      return 0;
    }
    Class<?> c = x.getClass();
    if (c == String.class) {
      return x.hashCode();
    }
    if (!typed) {
      if (c == Long.class) {
        return Long.hashCode((Long) x);
      }
      if (x instanceof Number n) {
        return Numbers.untypedHash(n);
      }
      Object form = UntypedForms.formOf(x); // a container: by the form L2 writes alike
      if (form != x) {
        return form.hashCode();
      }
    }
    return c.isArray() ? Arrays.deepHashCode(new Object[] {x}) : x.hashCode();
  }

  static boolean same(Object x, Object y, boolean typed) {
    if (x == y) {
      return true;
    }
    if (x == null || y == null) {
      return false;
    }
    Class<?> c = x.getClass();
    if (c == y.getClass() && c != Double.class && c != Float.class && c != BigDecimal.class && !c.isArray()
        && (typed || c == String.class || c == Long.class || !UntypedForms.isContainer(x))) {
      return x.equals(y); // the common case: one class whose equals is already value equality
    }
    return sameSlow(x, y, typed);
  }

  private static boolean sameSlow(Object x, Object y, boolean typed) {
    if (!typed && x instanceof Number nx && y instanceof Number ny) {
      return Numbers.untypedEquals(nx, ny);
    }
    if (!typed) {
      Object fx = UntypedForms.formOf(x);
      Object fy = UntypedForms.formOf(y);
      if (fx != x || fy != y) { // a container whose form differs: compared as L2 writes them
        return Objects.deepEquals(fx, fy);
      }
    }
    if (x.getClass().isArray()) {
      return Objects.deepEquals(x, y);
    }
    return x.equals(y);
  }

  private static final class Key0 extends ArgsKey {
    static final Key0 TYPED = new Key0(true);
    static final Key0 UNTYPED = new Key0(false);

    private Key0(boolean typed) {
      super(0, typed);
    }

    @Override
    public int arity() {
      return 0;
    }

    @Override
    public Object arg(int index) {
      throw new IndexOutOfBoundsException(index);
    }

    @Override
    boolean sameArgs(ArgsKey other) {
      return true;
    }
  }

  private static final class Key1 extends ArgsKey {
    private final Object a;

    Key1(Object a, boolean typed) {
      super(hash(a, typed), typed);
      this.a = a;
    }

    @Override
    public int arity() {
      return 1;
    }

    @Override
    public Object arg(int index) {
      if (index != 0) {
        throw new IndexOutOfBoundsException(index);
      }
      return a;
    }

    @Override
    boolean sameArgs(ArgsKey other) {
      return same(a, ((Key1) other).a, typed);
    }
  }

  private static final class Key2 extends ArgsKey {
    private final Object a;
    private final Object b;

    Key2(Object a, Object b, boolean typed) {
      super(31 * hash(a, typed) + hash(b, typed), typed);
      this.a = a;
      this.b = b;
    }

    @Override
    public int arity() {
      return 2;
    }

    @Override
    public Object arg(int index) {
      return switch (index) {
        case 0 -> a;
        case 1 -> b;
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    boolean sameArgs(ArgsKey other) {
      Key2 o = (Key2) other;
      return same(a, o.a, typed) && same(b, o.b, typed);
    }
  }

  private static final class Key3 extends ArgsKey {
    private final Object a;
    private final Object b;
    private final Object c;

    Key3(Object a, Object b, Object c, boolean typed) {
      super(31 * (31 * hash(a, typed) + hash(b, typed)) + hash(c, typed), typed);
      this.a = a;
      this.b = b;
      this.c = c;
    }

    @Override
    public int arity() {
      return 3;
    }

    @Override
    public Object arg(int index) {
      return switch (index) {
        case 0 -> a;
        case 1 -> b;
        case 2 -> c;
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    boolean sameArgs(ArgsKey other) {
      Key3 o = (Key3) other;
      return same(a, o.a, typed) && same(b, o.b, typed) && same(c, o.c, typed);
    }
  }

  private static final class KeyN extends ArgsKey {
    private final Object[] args;

    KeyN(Object[] args, boolean typed) {
      super(hashAll(args, typed), typed);
      this.args = args;
    }

    private static int hashAll(Object[] args, boolean typed) {
      int h = 1;
      for (Object arg : args) {
        h = 31 * h + hash(arg, typed);
      }
      return h;
    }

    @Override
    public int arity() {
      return args.length;
    }

    @Override
    public Object arg(int index) {
      return args[index];
    }

    @Override
    boolean sameArgs(ArgsKey other) {
      Object[] o = ((KeyN) other).args;
      for (int i = 0; i < args.length; i++) {
        if (!same(args[i], o[i], typed)) {
          return false;
        }
      }
      return true;
    }
  }
}
