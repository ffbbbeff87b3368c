package io.tiercache.internal.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for the text of tags, prefixes and explicit keys. */
class KeyTextTest {
  private static final List<String> TEXTS = List.of("", "user:ann", "user:ann@example.com", "50%", "a%40b",
      "Жук и мёд", "emoji:\uD83D\uDE00", "lone \uD800 surrogate", "a,b", "x/y=z~(1)[2]{3}#4'", "tab\there");

  @Test
  void escapingKeepsKeyPunctuationAndEscapesEverythingElsePercentIncluded() {
    assertThat(KeyText.escape("user:ann@example.com")).isEqualTo("user:ann%40example.com");
    assertThat(KeyText.escape("50% off")).isEqualTo("50%25%20off");
    assertThat(KeyText.escape("Жук")).isEqualTo("%D0%96%D1%83%D0%BA");
    assertThat(KeyText.escape("\uD83D\uDE00")).isEqualTo("%F0%9F%98%80");
    assertThat(KeyText.escape("a\uD800")).isEqualTo("a%uD800");
    assertThat(KeyText.escape("x/y=z~(1)[2]{3},'#")).isEqualTo("x/y=z~(1)[2]{3},'%23");
  }

  @Test
  void escapingIsInjectiveAndDecodingInvertsIt() {
    List<String> escaped = TEXTS.stream().map(KeyText::escape).toList();
    assertThat(escaped).doesNotHaveDuplicates();
    for (String text : TEXTS) {
      assertThat(KeyText.decode(KeyText.escape(text))).isEqualTo(text);
      assertThat(KeyText.escape(text)).matches("[\\x21-\\x7E]*");
    }
  }

  @Test
  void normalizingKeepsEscapesAlreadyWrittenAndIsIdempotent() {
    assertThat(KeyText.normalize("quote:sA-42,n3")).isEqualTo("quote:sA-42,n3");
    assertThat(KeyText.normalize("user:ann%40example.com")).isEqualTo("user:ann%40example.com");
    assertThat(KeyText.normalize("user:ann@example.com")).isEqualTo("user:ann%40example.com");
    assertThat(KeyText.normalize("a%2cb%ud800")).isEqualTo("a%2Cb%uD800");
    assertThat(KeyText.normalize("50%")).isEqualTo("50%25");
    for (String text : TEXTS) {
      String once = KeyText.normalize(text);
      assertThat(KeyText.normalize(once)).isEqualTo(once);
      assertThat(KeyText.normalize(KeyText.escape(text))).isEqualTo(KeyText.escape(text));
    }
  }

  @Test
  void decodingRefusesTextThatIsNotEscapedKeyText() {
    assertThatThrownBy(() -> KeyText.decode("50%"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"50%\"").hasMessageContaining("index 2");
    assertThatThrownBy(() -> KeyText.decode("a%FFb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not UTF-8");
  }
}
