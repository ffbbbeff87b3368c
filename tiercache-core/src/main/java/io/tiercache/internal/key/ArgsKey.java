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

  ArgsKey() {}

  /** How many arguments the key holds. */
  public abstract int arity();

  /** The argument at {@code index}. */
  public abstract Object arg(int index);

  /** Whether numbers of different types are distinct. */
  public abstract boolean typed();

  /**
   * Whether the first argument is {@link #SHARED_RECEIVER}; asked by the L2 key encoder, which
   * leaves it out. A key holding a primitive {@code long} answers without boxing it.
   */
  public boolean startsWithSharedReceiver() {
    return arity() > 0 && arg(0) == SHARED_RECEIVER;
  }

  /** The key of a call with no arguments. */
  public static ArgsKey of(boolean typed) {
    return typed ? Key0.TYPED : Key0.UNTYPED;
  }

  /**
   * The key of a one-argument call. A {@code Long} argument is kept as a primitive: the key then
   * holds no box (the caller's, made at the call, need not outlive it).
   */
  public static ArgsKey of(Object a, boolean typed) {
    if (a instanceof Long id) {
      return new LongKey1(id, typed);
    }
    return new Key1(a, typed);
  }

  /**
   * The key of a two-argument call; a {@code Long} first argument (an id, mostly) is kept as a
   * primitive, as {@link #of(Object, boolean)} keeps it.
   */
  public static ArgsKey of(Object a, Object b, boolean typed) {
    if (a instanceof Long id) {
      return typed ? new TypedLongKey2(id, b) : new LongKey2(id, b);
    }
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
  public abstract int hashCode();

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    // a map compares hashes before it calls this
    return o instanceof ArgsKey other && other.arity() == arity() && sameArgs(other);
  }

  /**
   * Whether {@code other}, of the same arity, holds the same arguments. Keys of one class compare
   * their fields; keys of two classes (a primitive {@code long} against an untyped {@code 3.0})
   * compare argument by argument.
   */
  abstract boolean sameArgs(ArgsKey other);

  /** {@link #sameArgs} for keys of two classes: argument by argument. */
  final boolean sameArgsOneByOne(ArgsKey other) {
    boolean typed = typed();
    for (int i = 0; i < arity(); i++) {
      if (!same(arg(i), other.arg(i), typed)) {
        return false;
      }
    }
    return true;
  }

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

  /**
   * A key that says whether it is typed in a field: free in every layout but {@link LongKey2}'s,
   * where the flag would take the key from 24 to 32 bytes (there the class says it).
   */
  private abstract static class FlaggedKey extends ArgsKey {
    final boolean typed;

    FlaggedKey(boolean typed) {
      this.typed = typed;
    }

    @Override
    public final boolean typed() {
      return typed;
    }
  }

  private static final class Key0 extends FlaggedKey {
    static final Key0 TYPED = new Key0(true);
    static final Key0 UNTYPED = new Key0(false);

    private Key0(boolean typed) {
      super(typed);
    }

    @Override
    public int hashCode() {
      return 0;
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

  private static final class Key1 extends FlaggedKey {
    private final Object a;

    Key1(Object a, boolean typed) {
      super(typed);
      this.a = a;
    }

    @Override
    public int hashCode() {
      return hash(a, typed);
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
      return other instanceof Key1 o ? same(a, o.a, typed) : sameArgsOneByOne(other);
    }
  }

  private static final class Key2 extends FlaggedKey {
    private final Object a;
    private final Object b;

    Key2(Object a, Object b, boolean typed) {
      super(typed);
      this.a = a;
      this.b = b;
    }

    @Override
    public int hashCode() {
      return 31 * hash(a, typed) + hash(b, typed);
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
      return other instanceof Key2 o ? same(a, o.a, typed) && same(b, o.b, typed) : sameArgsOneByOne(other);
    }
  }

  private static final class Key3 extends FlaggedKey {
    private final Object a;
    private final Object b;
    private final Object c;

    Key3(Object a, Object b, Object c, boolean typed) {
      super(typed);
      this.a = a;
      this.b = b;
      this.c = c;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * hash(a, typed) + hash(b, typed)) + hash(c, typed);
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
      return other instanceof Key3 o ? same(a, o.a, typed) && same(b, o.b, typed) && same(c, o.c, typed)
          : sameArgsOneByOne(other);
    }
  }

  private static final class KeyN extends FlaggedKey {
    private final Object[] args;

    KeyN(Object[] args, boolean typed) {
      super(typed);
      this.args = args;
    }

    @Override
    public int hashCode() {
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
      if (!(other instanceof KeyN n)) {
        return sameArgsOneByOne(other);
      }
      Object[] o = n.args;
      for (int i = 0; i < args.length; i++) {
        if (!same(args[i], o[i], typed)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * A one-argument key whose argument is a {@code Long}, kept as a primitive: 24 bytes, where a
   * key holding the box would be 24 and the box 24 more.
   */
  private static final class LongKey1 extends FlaggedKey {
    private final long a;

    LongKey1(long a, boolean typed) {
      super(typed);
      this.a = a;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(a); // what hash(Long) gives, typed or not
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
      return other instanceof LongKey1 o ? a == o.a : sameArgsOneByOne(other);
    }

    @Override
    public boolean startsWithSharedReceiver() {
      return false;
    }
  }

  /**
   * An untyped two-argument key whose first argument is a {@code Long}, kept as a primitive: 24
   * bytes (the size of a record of a {@code long} and a reference), with no room for a typed flag,
   * so typed keys are of the subclass.
   */
  private static class LongKey2 extends ArgsKey {
    private final long a;
    private final Object b;

    LongKey2(long a, Object b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public boolean typed() {
      return false;
    }

    @Override
    public final int hashCode() {
      return 31 * Long.hashCode(a) + hash(b, typed());
    }

    @Override
    public final int arity() {
      return 2;
    }

    @Override
    public final boolean startsWithSharedReceiver() {
      return false;
    }

    @Override
    public final Object arg(int index) {
      return switch (index) {
        case 0 -> a;
        case 1 -> b;
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    final boolean sameArgs(ArgsKey other) {
      // a typed and an untyped key never meet in one map; the class check keeps them apart anyway
      return other.getClass() == getClass() ? a == ((LongKey2) other).a && same(b, ((LongKey2) other).b, typed())
          : sameArgsOneByOne(other);
    }
  }

  /** {@link LongKey2} of a typed function. */
  private static final class TypedLongKey2 extends LongKey2 {
    TypedLongKey2(long a, Object b) {
      super(a, b);
    }

    @Override
    public boolean typed() {
      return true;
    }
  }
}
