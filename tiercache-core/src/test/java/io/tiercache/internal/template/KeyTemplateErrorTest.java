package io.tiercache.internal.template;

import io.tiercache.TemplateException;

import static io.tiercache.internal.template.Fixtures.method;
import static io.tiercache.internal.template.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.internal.template.Fixtures.Account;
import io.tiercache.internal.template.Fixtures.Address;
import io.tiercache.internal.template.Fixtures.Opaque;
import io.tiercache.internal.template.Fixtures.Service;
import io.tiercache.internal.template.Fixtures.User;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Every way a template can fail: at parse time with the method, the template and the offending
 * name in the message, plus what is available; at render time with the path that failed.
 */
class KeyTemplateErrorTest {
  private static final String BY_STATE = "io.tiercache.internal.template.Fixtures$Repo.byState(String, int)";

  private static AbstractThrowableAssert<?, ? extends Throwable> parseFails(String template,
      Method method) {
    return assertThatThrownBy(() -> KeyTemplate.parse(template, method))
        .isInstanceOf(TemplateException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + template + "\"")
        .hasMessageContaining(TemplateSignature.of(method).description());
  }

  @Test
  void unknownParameterNameListsTheParameters() {
    parseFails("users_by_state:{stat}", repo("byState"))
        .hasMessageContaining(BY_STATE)
        .hasMessageContaining("unknown parameter 'stat'")
        .hasMessageContaining("parameters: [state, limit]");
  }

  @Test
  void unknownParameterOfAnInstanceMethodAlsoOffersThis() {
    parseFails("{q}", method(Service.class, "find"))
        .hasMessageContaining("'q'")
        .hasMessageContaining("parameters: [query]; receiver: {this}");
  }

  @Test
  void unknownPropertyListsWhatTheDeclaredTypeOffers() {
    parseFails("{user.adress.city}", repo("byUser"))
        .hasMessageContaining("unknown property 'adress'")
        .hasMessageContaining("'user' is declared as io.tiercache.internal.template.Fixtures$User")
        .hasMessageContaining("available: [address, id, name]");
    parseFails("{user.address.town}", repo("byUser"))
        .hasMessageContaining("unknown property 'town'")
        .hasMessageContaining("'user.address'")
        .hasMessageContaining("available: [city, zip]");
    parseFails("{account.owners}", repo("byAccount"))
        .hasMessageContaining("'owners'")
        .hasMessageContaining("active")
        .hasMessageContaining("owner")
        .hasMessageContaining("region")
        .hasMessageContaining("shard")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hashCode", "getClass"));
  }

  @Test
  void propertiesAreNeverGuessedFromTheRuntimeTypeOfAnObjectOrInterfaceParameter() {
    parseFails("{a.id}", repo("objects"))
        .hasMessageContaining("unknown property 'id'")
        .hasMessageContaining("declared as java.lang.Object")
        .hasMessageContaining("never the runtime type");
    parseFails("{named.id}", repo("byNamed"))
        .hasMessageContaining("declared as io.tiercache.internal.template.Fixtures$Named")
        .hasMessageContaining("available: [name]")
        .hasMessageContaining("never the runtime type");
  }

  @Test
  void propertyOfAPrimitiveFails() {
    parseFails("{limit.value}", repo("byState"))
        .hasMessageContaining("'limit' is of primitive type int")
        .hasMessageContaining("'value'");
    parseFails("{user.id.value}", repo("byUser"))
        .hasMessageContaining("'user.id' is of primitive type long");
  }

  @Test
  void objectMethodsAreNotProperties() {
    parseFails("{user.class}", repo("byUser")).hasMessageContaining("unknown property 'class'");
    parseFails("{user.hashCode}", repo("byUser")).hasMessageContaining("'hashCode'");
  }

  @Test
  void positionOutOfRangeFails() {
    parseFails("{2}", repo("byState"))
        .hasMessageContaining("position 2")
        .hasMessageContaining("out of range")
        .hasMessageContaining("0..1");
    parseFails("{0}", repo("none")).hasMessageContaining("there are no parameters");
    parseFails("{99999999999}", repo("byState")).hasMessageContaining("out of range");
  }

  @Test
  void unbalancedBracesFail() {
    parseFails("users:{state", repo("byState")).hasMessageContaining("never closed");
    parseFails("users:state}", repo("byState"))
        .hasMessageContaining("'}' at index 11 closes no placeholder")
        .hasMessageContaining("'}}'");
    parseFails("users:{st{ate}}", repo("byState"))
        .hasMessageContaining("placeholders do not nest");
    parseFails("{{state}", repo("byState")).hasMessageContaining("closes no placeholder");
  }

  @Test
  void emptyPlaceholdersAndEmptyPathNamesFail() {
    parseFails("users:{}", repo("byState"))
        .hasMessageContaining("empty placeholder {}")
        .hasMessageContaining("{state}");
    parseFails("{user..id}", repo("byUser")).hasMessageContaining("empty name");
    parseFails("{user.}", repo("byUser")).hasMessageContaining("empty name");
    parseFails("{.id}", repo("byUser")).hasMessageContaining("empty name");
  }

  @Test
  void malformedPlaceholdersFail() {
    parseFails("{ state }", repo("byState"))
        .hasMessageContaining("invalid placeholder { state }")
        .hasMessageContaining("parameters: [state, limit]");
    parseFails("{state:>10}", repo("byState")).hasMessageContaining("invalid placeholder");
    parseFails("{user.1}", repo("byUser")).hasMessageContaining("invalid property name '1'");
  }

  @Test
  void thisWithoutAReceiverFails() {
    parseFails("{this}", repo("lookup"))
        .hasMessageContaining("reads the receiver")
        .hasMessageContaining("static")
        .hasMessageContaining("parameters: [sku, quantity]");
  }

  @Test
  void placeholdersWithoutASeparatorBetweenThemFail() {
    parseFails("{a}{b}", repo("pair"))
        .hasMessageContaining("placeholders {a} and {b} are adjacent")
        .hasMessageContaining("{a}:{b}");
    parseFails("{a}-{b}", repo("pair"))
        .hasMessageContaining("separated only by \"-\"")
        .hasMessageContaining("share a key");
    parseFails("{a}x_{b}", repo("pair")).hasMessageContaining("\"x_\"");
  }

  @Test
  void namesFailClearlyWhenTheClassWasCompiledWithoutParameterNames() throws Exception {
    Method regionMatches =
        String.class.getMethod("regionMatches", int.class, String.class, int.class, int.class);
    assertThat(regionMatches.getParameters()[0].isNamePresent())
        .as("the JDK is compiled without -parameters")
        .isFalse();

    parseFails("{toffset}", regionMatches)
        .hasMessageContaining("java.lang.String.regionMatches(int, String, int, int)")
        .hasMessageContaining("'toffset'")
        .hasMessageContaining("compiled without -parameters")
        .hasMessageContaining("{0}, {1}, {2}, {3}");
    // a synthesized name is refused too: it would break the day -parameters is added
    parseFails("{arg0}", regionMatches).hasMessageContaining("compiled without -parameters");
  }

  @Test
  void namesFailClearlyForAPositionalSignature() {
    TemplateSignature sig = TemplateSignature.positional("function 'quote'",
        List.of(String.class, int.class), null);

    assertThatThrownBy(() -> KeyTemplate.parse("{sku}:{1}", sig))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("function 'quote'")
        .hasMessageContaining("\"{sku}:{1}\"")
        .hasMessageContaining("'sku'")
        .hasMessageContaining("-parameters")
        .hasMessageContaining("[arg0, arg1]");
  }

  @Test
  void aDeclaredTypeWithoutItsOwnToStringFailsAtParseTime() {
    parseFails("{opaque}", repo("byOpaque"))
        .hasMessageContaining("{opaque}")
        .hasMessageContaining("does not override Object.toString")
        .hasMessageContaining("identity");
    // its properties are fine
    assertThat(KeyTemplate.parse("{opaque.label}", repo("byOpaque"))
        .render(null, new Object[] {new Opaque()})).isEqualTo("label");
  }

  @Test
  void aRuntimeValueWithoutItsOwnToStringFailsAtRenderTime() {
    KeyTemplate t = KeyTemplate.parse("{a}:{b}", repo("objects"));

    assertThatThrownBy(() -> t.render(null, new Object[] {"x", new Opaque()}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("cannot render key template \"{a}:{b}\"")
        .hasMessageContaining("Repo.objects(Object, Object)")
        .hasMessageContaining("{b}")
        .hasMessageContaining("io.tiercache.internal.template.Fixtures$Opaque")
        .hasMessageContaining("does not override Object.toString");
    assertThatThrownBy(() -> t.render(null, new Object[] {List.of(new Opaque()), 1}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("{a}");
  }

  @Test
  void aNullInTheMiddleOfAPathFailsAtRenderTimeNamingThePath() {
    KeyTemplate t = KeyTemplate.parse("u:{user.address.city}", repo("byUser"));

    assertThatThrownBy(() -> t.render(null, new Object[] {new User(1, "n", null)}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("cannot render key template \"u:{user.address.city}\"")
        .hasMessageContaining("Repo.byUser(User)")
        .hasMessageContaining("'user.address' is null, so 'user.address.city' cannot be read");
    assertThatThrownBy(() -> t.render(null, new Object[] {null}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("'user' is null, so 'user.address' cannot be read");
    KeyTemplate getterPath = KeyTemplate.parse("{account.address.city}", repo("byAccount"));
    assertThatThrownBy(() -> getterPath.render(null, new Object[] {new Account("r", "o", true)}))
        .hasMessageContaining("'account.address' is null");
  }

  @Test
  void aThrowingGetterFailsAtRenderTimeWithItsExceptionAsCause() {
    KeyTemplate t = KeyTemplate.parse("{account.broken}", repo("byAccount"));

    assertThatThrownBy(() -> t.render(null, new Object[] {new Account("r", "o", true)}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("reading 'account.broken' threw")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void aWrongNumberOfArgumentsFails() {
    KeyTemplate t = KeyTemplate.parse("{state}", repo("byState"));

    assertThatThrownBy(() -> t.render(null, new Object[] {"CA"}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("expected 2 arguments, got 1")
        .hasMessageContaining(BY_STATE);
    assertThatThrownBy(() -> KeyTemplate.parse("c", repo("byState")).render(null, null))
        .hasMessageContaining("expected 2 arguments, got 0");
  }

  @Test
  void anArgumentOfTheWrongTypeFailsClearly() {
    KeyTemplate t = KeyTemplate.parse("{user.id}", repo("byUser"));

    assertThatThrownBy(() -> t.render(null, new Object[] {"not a user"}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("'user' should be a io.tiercache.internal.template.Fixtures$User")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void aCyclicValueFails() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    KeyTemplate t = KeyTemplate.parse("{a}:{b}", repo("objects"));

    assertThatThrownBy(() -> t.render(null, new Object[] {cycle, 1}))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nested more than");
  }

  @Test
  void listOfNamesRejectsBraces() {
    assertThatThrownBy(() -> KeyTemplate.ofParameterNames(List.of("state", "{limit}"),
        repo("byState")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining(BY_STATE)
        .hasMessageContaining("'{limit}'")
        .hasMessageContaining("parameters: [state, limit]");
    assertThatThrownBy(() -> KeyTemplate.ofParameterNames(List.of("state", "lim"),
        repo("byState")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("\"{state}:{lim}\"")
        .hasMessageContaining("unknown parameter 'lim'");
  }

  @Test
  void signaturesAreChecked() {
    assertThatThrownBy(() -> TemplateSignature.of("f", List.of("a"), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 parameter names [a] but 0 parameter types");
    assertThatThrownBy(() -> TemplateSignature.of("f", List.of("a", "a"),
        List.of(int.class, int.class), null))
        .hasMessageContaining("'a' appears twice");
  }

  @Test
  void handBuiltSignaturesAreNamedInMessages() {
    assertThatThrownBy(() -> KeyTemplate.parse("{skuu}", List.of("sku"), List.of(String.class),
        null))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("parameters (String sku)")
        .hasMessageContaining("\"{skuu}\"")
        .hasMessageContaining("parameters: [sku]");
  }

  @Test
  void userAddressIsReachableAfterAllTheseFailures() {
    // the ClassValue caches never keep a failure for a type that is fine
    assertThat(KeyTemplate.parse("{user.address}", repo("byUser"))
        .render(null, new Object[] {new User(1, "a", new Address("c", "z"))})).isEqualTo("(c,z)");
  }
}
