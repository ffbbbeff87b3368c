package io.tiercache.internal.template;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small types with real methods (compiled with -parameters) for the template tests. */
final class Fixtures {
  private Fixtures() {}

  enum State { ACTIVE, DELETED }

  record Address(String city, String zip) {}

  record User(long id, String name, Address address) {}

  /** A record whose component {@code name} must win over its method {@code getName()}. */
  record Tagged(String name) {
    public String getName() {
      return "from-getter";
    }
  }

  /** A bean: getter, boolean isX, plain method, public field, and a getter that throws. */
  static final class Account {
    public final String region;
    private final String owner;
    private final boolean active;

    Account(String region, String owner, boolean active) {
      this.region = region;
      this.owner = owner;
      this.active = active;
    }

    public String getOwner() {
      return owner;
    }

    public boolean isActive() {
      return active;
    }

    public int shard() {
      return region.length() % 4;
    }

    /** Both {@code getCode()} and {@code code()}: the getter wins. */
    public String getCode() {
      return "getter";
    }

    public String code() {
      return "method";
    }

    public String getBroken() {
      throw new IllegalStateException("broken on purpose");
    }

    public Address getAddress() {
      return null;
    }

    @Override
    public String toString() {
      return "Account(" + region + ")";
    }
  }

  /** No toString of its own: its text would be an identity hash. */
  static final class Opaque {
    public String getLabel() {
      return "label";
    }
  }

  /** Abstract, with a property overridden below: resolved on the declared type, dispatched. */
  abstract static class Shape {
    public abstract String getKind();
  }

  static final class Circle extends Shape {
    @Override
    public String getKind() {
      return "circle";
    }
  }

  interface Named {
    String getName();
  }

  /** The methods whose templates the tests parse. */
  interface Repo {
    List<User> byState(String state, int limit);

    String pair(String a, String b);

    String objects(Object a, Object b);

    String byUser(User user);

    String byAccount(Account account);

    String byTagged(Tagged tagged);

    String byShape(Shape shape);

    String byNamed(Named named);

    String byOpaque(Opaque opaque);

    String byEnum(State state, boolean flag);

    String byCollections(List<String> list, Set<String> set, Map<String, Integer> map);

    String byNumber(Number number);

    String none();

    static String lookup(String sku, int quantity) {
      return sku + quantity;
    }
  }

  /** A class receiver for {this} templates. */
  static class Service {
    private final long id;

    Service(long id) {
      this.id = id;
    }

    public long getId() {
      return id;
    }

    public String find(String query) {
      return query;
    }

    @Override
    public String toString() {
      return "svc" + id;
    }
  }

  static Method method(Class<?> type, String name) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(type + " has no method " + name);
  }

  static Method repo(String name) {
    return method(Repo.class, name);
  }
}
