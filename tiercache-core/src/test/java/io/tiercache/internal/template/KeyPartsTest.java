package io.tiercache.internal.template;

import io.tiercache.KeyParts;
import io.tiercache.TemplateException;

import static io.tiercache.internal.template.Fixtures.method;
import static io.tiercache.internal.template.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.internal.template.Fixtures.Address;
import io.tiercache.internal.template.Fixtures.Opaque;
import io.tiercache.internal.template.Fixtures.Service;
import io.tiercache.internal.template.Fixtures.State;
import io.tiercache.internal.template.Fixtures.User;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys built by hand equal the keys templates render (easy_cache's create_cache_key). */
class KeyPartsTest {

  @Test
  void joinEqualsTheTemplateRendering() {
    KeyTemplate byState = KeyTemplate.parse("users_by_state:{state}", repo("byState"));

    assertThat(KeyParts.join("users_by_state", "CA")).isEqualTo("users_by_state:CA")
        .isEqualTo(byState.render(null, new Object[] {"CA", 10}));
  }

  @Test
  void joinEqualsTemplatesForTrickyValues() {
    KeyTemplate pair = KeyTemplate.parse("key:{a}:value:{b}", repo("pair"));
    for (List<String> args : List.of(List.of("x:y", "z"), List.of("Жук", "😀"),
        List.of("", " "), Arrays.asList(null, "~"), List.of("{a}", "%41"))) {
      assertThat(KeyParts.join("key", args.get(0), "value", args.get(1)))
          .as("%s", args)
          .isEqualTo(pair.render(null, args.toArray()));
    }
  }

  @Test
  void joinEqualsTemplatesOverPropertiesReceiversAndStructures() {
    User ann = new User(7, "Ann", new Address("Paris", "75001"));
    assertThat(KeyParts.join("user", ann.id(), ann.address().city()))
        .isEqualTo(KeyTemplate.parse("user:{user.id}:{user.address.city}", repo("byUser"))
            .render(null, new Object[] {ann}));
    assertThat(KeyParts.join("user", ann))
        .isEqualTo(KeyTemplate.parse("user:{user}", repo("byUser"))
            .render(null, new Object[] {ann}));
    assertThat(KeyParts.join("user_favorite_books", 42L))
        .isEqualTo(KeyTemplate.parse("user_favorite_books:{this.id}",
            method(Service.class, "find")).render(new Service(42), new Object[] {"q"}));
    assertThat(KeyParts.join(State.ACTIVE, true))
        .isEqualTo(KeyTemplate.parse("{state}:{flag}", repo("byEnum"))
            .render(null, new Object[] {State.ACTIVE, true}));
  }

  @Test
  void joinRendersNumbersUntyped() {
    assertThat(KeyParts.join("key", 1, "value", 11.0)).isEqualTo("key:1:value:11")
        .isEqualTo(KeyParts.join("key", 1L, "value", 11));
  }

  @Test
  void joinEscapesSeparatorsInsideParts() {
    assertThat(KeyParts.join("a:b", "c")).isEqualTo("a%3Ab:c").isNotEqualTo(KeyParts.join("a", "b:c"));
    assertThat(KeyParts.join()).isEmpty();
    assertThat(KeyParts.join((Object) null)).isEqualTo("~");
  }

  @Test
  void joinRefusesValuesWithoutAStableText() {
    assertThatThrownBy(() -> KeyParts.join("x", new Opaque()))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("io.tiercache.internal.template.Fixtures$Opaque")
        .hasMessageContaining("does not override Object.toString");
  }
}
