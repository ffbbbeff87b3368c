package io.tiercache.internal.template;

import static io.tiercache.internal.template.Fixtures.method;
import static io.tiercache.internal.template.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.internal.template.Fixtures.Account;
import io.tiercache.internal.template.Fixtures.Address;
import io.tiercache.internal.template.Fixtures.Circle;
import io.tiercache.internal.template.Fixtures.Named;
import io.tiercache.internal.template.Fixtures.Service;
import io.tiercache.internal.template.Fixtures.State;
import io.tiercache.internal.template.Fixtures.Tagged;
import io.tiercache.internal.template.Fixtures.User;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing and rendering of well-formed templates. */
class KeyTemplateTest {
  private static final User ANN = new User(7, "Ann", new Address("Paris", "75001"));

  @Test
  void rendersParametersByName() {
    KeyTemplate t = KeyTemplate.parse("users_by_state:{state}:{limit}", repo("byState"));

    assertThat(t.render(null, new Object[] {"CA", 10})).isEqualTo("users_by_state:CA:10");
    assertThat(t.source()).isEqualTo("users_by_state:{state}:{limit}");
    assertThat(t.isConstant()).isFalse();
    assertThat(t.parameterNamesUsed()).containsExactly("state", "limit");
    assertThat(t.parameterIndexesUsed()).containsExactly(0, 1);
    assertThat(t.usesReceiver()).isFalse();
  }

  @Test
  void rendersParametersByPosition() {
    KeyTemplate t = KeyTemplate.parse("q/{1}/{0}", repo("byState"));

    assertThat(t.render(null, new Object[] {"CA", 10})).isEqualTo("q/10/CA");
    assertThat(t.parameterNamesUsed()).containsExactly("limit", "state");
  }

  @Test
  void namesUsedAreDistinctInOrderOfFirstUse() {
    KeyTemplate t = KeyTemplate.parse("{limit}:{state}:{0}:{1}", repo("byState"));

    assertThat(t.parameterNamesUsed()).containsExactly("limit", "state");
    assertThat(t.parameterIndexesUsed()).containsExactly(1, 0);
  }

  @Test
  void resolvesNestedRecordComponents() {
    KeyTemplate t = KeyTemplate.parse("u:{user.id}:{user.address.city}:{0.name}", repo("byUser"));

    assertThat(t.render(null, new Object[] {ANN})).isEqualTo("u:7:Paris:Ann");
  }

  @Test
  void resolvesGetterBooleanIsGetterPlainMethodAndField() {
    KeyTemplate t = KeyTemplate.parse(
        "{account.owner}:{account.active}:{account.shard}:{account.region}", repo("byAccount"));

    assertThat(t.render(null, new Object[] {new Account("eu-west", "bob", true)}))
        .isEqualTo("bob:true:3:eu-west");
  }

  @Test
  void recordComponentWinsOverGetterAndGetterOverPlainMethod() {
    assertThat(KeyTemplate.parse("{tagged.name}", repo("byTagged"))
        .render(null, new Object[] {new Tagged("component")})).isEqualTo("component");
    assertThat(KeyTemplate.parse("{account.code}", repo("byAccount"))
        .render(null, new Object[] {new Account("r", "o", false)})).isEqualTo("getter");
  }

  @Test
  void propertiesDeclaredOnAnAbstractTypeDispatchToTheRuntimeClass() {
    assertThat(KeyTemplate.parse("{shape.kind}", repo("byShape"))
        .render(null, new Object[] {new Circle()})).isEqualTo("circle");
  }

  @Test
  void propertiesDeclaredOnAnInterfaceWork() {
    Named named = () -> "Zoë";

    assertThat(KeyTemplate.parse("{named.name}", repo("byNamed"))
        .render(null, new Object[] {named})).isEqualTo("Zo%C3%AB");
  }

  @Test
  void readsTheReceiver() {
    Method find = method(Service.class, "find");
    KeyTemplate t = KeyTemplate.parse("svc:{this.id}:{query}", find);

    assertThat(t.render(new Service(42), new Object[] {"x"})).isEqualTo("svc:42:x");
    assertThat(t.usesReceiver()).isTrue();
    assertThat(t.parameterNamesUsed()).containsExactly("query");
    assertThat(KeyTemplate.parse("{this}", find).render(new Service(5), new Object[] {"x"}))
        .isEqualTo("svc5");
  }

  @Test
  void doubledBracesAreLiteralBracesKeptLikeTheOtherKeyPunctuation() {
    KeyTemplate t = KeyTemplate.parse("{{set}}:{state}", repo("byState"));

    // literal text follows KeyText: braces, like ~ , = ' ( ) [ ], are kept; '%', '#', '@' are not
    assertThat(t.render(null, new Object[] {"CA", 1})).isEqualTo("{set}:CA");
    assertThat(KeyTemplate.parse("a,b=(c)#1%@:{state}", repo("byState")).render(null, new Object[] {"CA", 1}))
        .isEqualTo("a,b=(c)%231%25%40:CA");
  }

  @Test
  void renderTextIsTheRenderingWithEveryValueAsItsOwnText() {
    KeyTemplate t = KeyTemplate.parse("user {{x}}:{state}", repo("byState"));

    assertThat(t.render(null, new Object[] {"ann@example.com:Жук 50%", 1}))
        .isEqualTo("user%20{x}:ann%40example.com%3A%D0%96%D1%83%D0%BA%2050%25");
    assertThat(t.renderText(null, new Object[] {"ann@example.com:Жук 50%", 1}))
        .isEqualTo("user {x}:ann@example.com:Жук 50%");
  }

  @Test
  void literalTextOutsideTheKeyAlphabetIsEscapedAtParseTime() {
    KeyTemplate t = KeyTemplate.parse("users by state: {state}", repo("byState"));

    assertThat(t.render(null, new Object[] {"CA", 1})).isEqualTo("users%20by%20state:%20CA");
  }

  @Test
  void constantTemplatesRenderTheSameTextForEveryCall() {
    KeyTemplate t = KeyTemplate.parse("all_users", repo("byState"));

    assertThat(t.isConstant()).isTrue();
    assertThat(t.parameterNamesUsed()).isEmpty();
    assertThat(t.usesReceiver()).isFalse();
    assertThat(t.render(null, new Object[] {"CA", 1})).isEqualTo("all_users");
    assertThat(t.render(null, new Object[] {"NY", 2})).isEqualTo("all_users");
    assertThat(KeyTemplate.parse("{{}}", repo("none")).render(null, null)).isEqualTo("{}");
    assertThat(KeyTemplate.parse("", repo("none")).render(null, new Object[0])).isEmpty();
  }

  @Test
  void placeholdersMayBeSeparatedBySlashOrByTextHoldingAColon() {
    Method pair = repo("pair");

    assertThat(KeyTemplate.parse("{a}/{b}", pair).render(null, new Object[] {"x", "y"}))
        .isEqualTo("x/y");
    assertThat(KeyTemplate.parse("{a}-v:x{b}", pair).render(null, new Object[] {"x", "y"}))
        .isEqualTo("x-v:xy");
  }

  @Test
  void staticMethodsHaveParametersButNoReceiver() {
    KeyTemplate t = KeyTemplate.parse("{sku}:{quantity}", repo("lookup"));

    assertThat(t.render(null, new Object[] {"A-42", 3})).isEqualTo("A-42:3");
  }

  @Test
  void listOfNamesFormJoinsNamesWithColons() {
    KeyTemplate t = KeyTemplate.ofParameterNames(List.of("state", "limit"), repo("byState"));

    assertThat(t.source()).isEqualTo("{state}:{limit}");
    assertThat(t.render(null, new Object[] {"CA", 10})).isEqualTo("CA:10");
    assertThat(KeyTemplate.ofParameterNames(List.of("user.address.city"), repo("byUser"))
        .render(null, new Object[] {ANN})).isEqualTo("Paris");
    assertThat(KeyTemplate.ofParameterNames(List.of(), repo("byState")).isConstant()).isTrue();
  }

  @Test
  void handBuiltSignaturesWork() {
    KeyTemplate t = KeyTemplate.parse("quote:{sku}:{qty}", List.of("sku", "qty"),
        List.of(String.class, int.class), null);

    assertThat(t.render(null, new Object[] {"A-42", 3})).isEqualTo("quote:A-42:3");
    assertThat(t.signature().description()).isEqualTo("parameters (String sku, int qty)");
  }

  @Test
  void positionalSignaturesAcceptPositionsAndTheReceiver() {
    TemplateSignature sig = TemplateSignature.positional("function 'quote'",
        List.of(String.class, User.class), Service.class);
    KeyTemplate t = KeyTemplate.parse("{this.id}:{0}:{1.address.zip}", sig);

    assertThat(t.render(new Service(1), new Object[] {"s", ANN})).isEqualTo("1:s:75001");
    assertThat(t.parameterNamesUsed()).containsExactly("arg0", "arg1");
  }

  @Test
  void aJdkClassCompiledWithoutParameterNamesWorksByPosition() throws Exception {
    Method regionMatches =
        String.class.getMethod("regionMatches", int.class, String.class, int.class, int.class);
    KeyTemplate t = KeyTemplate.parse("{this}:{0}:{1}:{3}", regionMatches);

    assertThat(t.render("hello", new Object[] {1, "el", 0, 2})).isEqualTo("hello:1:el:2");
  }

  @Test
  void rendersWholeRecordsEnumsAndBooleans() {
    assertThat(KeyTemplate.parse("{user}", repo("byUser")).render(null, new Object[] {ANN}))
        .isEqualTo("(7,Ann,(Paris,75001))");
    assertThat(KeyTemplate.parse("{state}:{flag}", repo("byEnum"))
        .render(null, new Object[] {State.DELETED, false})).isEqualTo("DELETED:false");
  }

  @Test
  void nullsRenderAsTildeAtTheEndOfAPath() {
    assertThat(KeyTemplate.parse("{user}", repo("byUser")).render(null, new Object[] {null}))
        .isEqualTo("~");
    assertThat(KeyTemplate.parse("{user.address}", repo("byUser"))
        .render(null, new Object[] {new User(1, null, null)})).isEqualTo("~");
    assertThat(KeyTemplate.parse("{user.name}:{user.address.city}", repo("byUser"))
        .render(null, new Object[] {new User(1, null, new Address(null, "z"))}))
        .isEqualTo("~:~");
  }

  @Test
  void templatesAreReusableAcrossThreads() throws Exception {
    KeyTemplate t = KeyTemplate.parse("u:{user.id}:{user.address.city}", repo("byUser"));
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    for (int n = 0; n < 8; n++) {
      int id = n;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          String key = t.render(null, new Object[] {new User(id, "x", new Address("c" + i, "z"))});
          if (!key.equals("u:" + id + ":c" + i)) {
            wrong.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(wrong).hasValue(0);
  }

  @Test
  void toStringNamesTheTemplateAndTheMethod() {
    assertThat(KeyTemplate.parse("x:{state}", repo("byState")).toString())
        .contains("x:{state}").contains("Repo.byState(String, int)");
  }
}
