package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.annotation.CallInfo;
import io.tiercache.annotation.Cached;
import io.tiercache.annotation.TagsFunction;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.KeyParts;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, case 10: one tag, one text. A tag or prefix written in a template, returned by a tags
 * function or given as literal text names the same tag as the same text passed to
 * {@code invalidateTags} / {@code invalidatePrefix}, whatever its characters; {@code invalidateKey}
 * reaches entries under explicit keys and under the default key.
 */
class TagTextTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend store = InMemoryBackend.builder().timeSource(time).build();
  private final TierCache cache = TierCache.builder().namespace("tt").backend("default", store).timeSource(time).build();
  private final AtomicInteger computations = new AtomicInteger();

  /** Every kind of text: plain, {@code @}, {@code %}, Unicode, space, comma, and the rest. */
  static Stream<String> texts() {
    return Stream.of("user:ann", "user:ann@example.com", "sale:50%off", "a%40b", "Жук и мёд",
        "emoji:\uD83D\uDE00", "big sale", "a,b", "x/y=z~(1)[2]{3}#4'");
  }

  static Stream<Arguments> textsWithAndWithoutL2() {
    return texts().flatMap(text -> Stream.of(Arguments.of(text, false), Arguments.of(text, true)));
  }

  /** Tags every call with {@code t:<its argument>}, as a tags function sees it. */
  public static final class EchoTags implements TagsFunction {
    @Override
    public Collection<String> tags(CallInfo call, Object result) {
      return List.of("t:" + call.arg(0));
    }
  }

  public interface Tagged {
    @Cached(tags = "t:{0}", l1MaxSize = Cached.UNBOUNDED)
    String byTemplate(String text);

    @Cached(tags = "t:{0}", l1MaxSize = Cached.UNBOUNDED, l1Only = true)
    String byTemplateL1(String text);

    @Cached(tagsFunction = EchoTags.class, l1MaxSize = Cached.UNBOUNDED)
    String byTagsFunction(String text);

    @Cached(tagsFunction = EchoTags.class, l1MaxSize = Cached.UNBOUNDED, l1Only = true)
    String byTagsFunctionL1(String text);

    @Cached(prefix = "p:{0}", l1MaxSize = Cached.UNBOUNDED)
    String byPrefix(String text);

    @Cached(prefix = "p:{0}", l1MaxSize = Cached.UNBOUNDED, l1Only = true)
    String byPrefixL1(String text);

    @Cached(tags = {"user:ann@example.com", "sale 50%", "Жук", "a,b", "{{x}}"}, l1MaxSize = Cached.UNBOUNDED)
    String literalTags(String text);

    @Cached(key = "kt:{0}", l1MaxSize = Cached.UNBOUNDED)
    String byKeyTemplate(String text);
  }

  /** Counts its computations and returns their number. */
  final class Source implements Tagged {
    private String next() {
      return "v" + computations.incrementAndGet();
    }

    @Override
    public String byTemplate(String text) {
      return next();
    }

    @Override
    public String byTemplateL1(String text) {
      return next();
    }

    @Override
    public String byTagsFunction(String text) {
      return next();
    }

    @Override
    public String byTagsFunctionL1(String text) {
      return next();
    }

    @Override
    public String byPrefix(String text) {
      return next();
    }

    @Override
    public String byPrefixL1(String text) {
      return next();
    }

    @Override
    public String literalTags(String text) {
      return next();
    }

    @Override
    public String byKeyTemplate(String text) {
      return next();
    }
  }

  private final Source source = new Source();
  private final Tagged proxy = cache.proxy(Tagged.class, source);

  private CacheHandle handle(String method) {
    return cache.method(Tagged.class, method, String.class);
  }

  /**
   * Calls twice (computed, then an L1 hit), invalidates something else (still a hit), then
   * invalidates {@code invalidation} and calls again: computed anew. Statistics exact.
   */
  private void assertDroppedOnlyBy(Supplier<String> call, BooleanSupplier unrelated, BooleanSupplier invalidation,
      CacheHandle handle) {
    int before = computations.get();
    assertThat(call.get()).isEqualTo("v" + (before + 1));
    assertThat(call.get()).isEqualTo("v" + (before + 1));
    assertThat(unrelated.getAsBoolean()).isTrue();
    assertThat(call.get()).as("an unrelated invalidation keeps the entry").isEqualTo("v" + (before + 1));
    assertThat(invalidation.getAsBoolean()).isTrue();
    assertThat(handle.cacheInfo().l1CurrSize()).as("dropped from L1 at once").isZero();
    assertThat(call.get()).as("computed anew after the invalidation").isEqualTo("v" + (before + 2));
    assertThat(computations).hasValue(before + 2);
    assertThat(handle.cacheInfo()).isEqualTo(new CacheInfo(2, 2, 0, 2, CacheInfo.UNBOUNDED, 1));
  }

  @ParameterizedTest(name = "{0}, l1Only={1}")
  @MethodSource("textsWithAndWithoutL2")
  void aTagInATemplateIsInvalidatedByItsText(String text, boolean l1Only) {
    String method = l1Only ? "byTemplateL1" : "byTemplate";
    Supplier<String> call = () -> l1Only ? proxy.byTemplateL1(text) : proxy.byTemplate(text);
    assertDroppedOnlyBy(call, () -> cache.invalidateTags("t:" + text + "!"),
        () -> cache.invalidateTags("t:" + text), handle(method));
  }

  @ParameterizedTest(name = "{0}, l1Only={1}")
  @MethodSource("textsWithAndWithoutL2")
  void aTagFromATagsFunctionIsInvalidatedByItsText(String text, boolean l1Only) {
    String method = l1Only ? "byTagsFunctionL1" : "byTagsFunction";
    Supplier<String> call = () -> l1Only ? proxy.byTagsFunctionL1(text) : proxy.byTagsFunction(text);
    assertDroppedOnlyBy(call, () -> cache.invalidateTags("t:" + text + "!"),
        () -> cache.invalidateTags("t:" + text), handle(method));
  }

  private CachedFunctionBuilder<String> builder(String name, boolean l1Only) {
    CachedFunctionBuilder<String> b = cache.function(name, String.class).l1Unbounded();
    return l1Only ? b.l1Only() : b;
  }

  @ParameterizedTest(name = "{0}, l1Only={1}")
  @MethodSource("textsWithAndWithoutL2")
  void tagsOfABuiltFunctionAreInvalidatedByTheirText(String text, boolean l1Only) {
    CachedFunction1<String, String> literal = builder("literal", l1Only).tags("t:" + text)
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> literal.apply("x"), () -> cache.invalidateTags("t:" + text + "!"),
        () -> cache.invalidateTags("t:" + text), literal);

    CachedFunction1<String, String> fromArgs = builder("fromArgs", l1Only).tags(args -> List.of("t:" + args[0]))
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> fromArgs.apply(text), () -> cache.invalidateTags("t:" + text + "!"),
        () -> cache.invalidateTags("t:" + text), fromArgs);

    CachedFunction1<String, String> fromResult = builder("fromResult", l1Only)
        .resultTags((args, value) -> List.of("t:" + args[0]))
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> fromResult.apply(text), () -> cache.invalidateTags("t:" + text + "!"),
        () -> cache.invalidateTags("t:" + text), fromResult);

    CachedFunction1<String, String> viaHandle = builder("viaHandle", l1Only).tags(args -> List.of("t:" + args[0]))
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> viaHandle.apply(text), () -> cache.invalidateTags("t:" + text + "!"),
        () -> viaHandle.invalidateTags(text), viaHandle);
  }

  @ParameterizedTest(name = "{0}, l1Only={1}")
  @MethodSource("textsWithAndWithoutL2")
  void aPrefixIsInvalidatedByItsTextOnEveryPath(String text, boolean l1Only) {
    String method = l1Only ? "byPrefixL1" : "byPrefix";
    Supplier<String> call = () -> l1Only ? proxy.byPrefixL1(text) : proxy.byPrefix(text);
    assertDroppedOnlyBy(call, () -> cache.invalidatePrefix("p:" + text + "!"),
        () -> cache.invalidatePrefix("p:" + text), handle(method));

    CachedFunction1<String, String> literal = builder("literal", l1Only).prefix("p:" + text)
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> literal.apply("x"), () -> cache.invalidatePrefix("p:" + text + "!"),
        () -> cache.invalidatePrefix("p:" + text), literal);

    CachedFunction1<String, String> fromArgs = builder("fromArgs", l1Only).prefix(args -> "p:" + args[0])
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> fromArgs.apply(text), () -> cache.invalidatePrefix("p:" + text + "!"),
        () -> cache.invalidatePrefix("p:" + text), fromArgs);

    CachedFunction1<String, String> viaHandle = builder("viaHandle", l1Only).prefix(args -> "p:" + args[0])
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> viaHandle.apply(text), () -> cache.invalidatePrefix("p:" + text + "!"),
        () -> viaHandle.invalidatePrefix(text), viaHandle);
  }

  @Test
  void literalTagTextInATemplateIsTheTag() {
    for (String tag : List.of("user:ann@example.com", "sale 50%", "Жук", "a,b", "{x}")) {
      handle("literalTags").cacheClear();
      assertDroppedOnlyBy(() -> proxy.literalTags(tag), () -> cache.invalidateTags(tag + "!"),
          () -> cache.invalidateTags(tag), handle("literalTags"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void anExplicitKeyIsInvalidatedByItsText(String text) {
    CachedFunction1<String, String> byFunction = builder("byFunction", false).key(args -> "k:" + args[0])
        .of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> byFunction.apply(text), () -> !cache.invalidateKey("k:" + text + "!"),
        () -> cache.invalidateKey("k:" + text), byFunction);

    // a key template renders values escaped: KeyParts builds the same text by hand
    assertDroppedOnlyBy(() -> proxy.byKeyTemplate(text), () -> !cache.invalidateKey(KeyParts.join("kt", text + "!")),
        () -> cache.invalidateKey(KeyParts.join("kt", text)), handle("byKeyTemplate"));
  }

  @Test
  void anExplicitKeyTemplateWithPlainValuesIsInvalidatedByItsPlainText() {
    assertDroppedOnlyBy(() -> proxy.byKeyTemplate("ann@example.com"),
        () -> !cache.invalidateKey("kt:ann@example.org"), () -> cache.invalidateKey("kt:ann@example.com"),
        handle("byKeyTemplate"));
  }

  @Test
  void anEntryUnderTheDefaultKeyIsInvalidatedByThatKeysText() {
    CachedFunction2<String, Integer, String> quote = cache.function("quote", String.class).l1Unbounded()
        .of((String sku, Integer qty) -> "v" + computations.incrementAndGet());
    // the default key is <function>:<arguments>, as the Keys section of docs/functions.md shows
    assertDroppedOnlyBy(() -> quote.apply("A-42", 3), () -> !cache.invalidateKey("quote:sA-42,n4"),
        () -> cache.invalidateKey("quote:sA-42,n3"), quote);

    quote.cacheClear();
    assertDroppedOnlyBy(() -> quote.apply("a b@c", 3), () -> !cache.invalidateKey("quote:sa%20b%40c,n4"),
        () -> cache.invalidateKey("quote:sa%20b%40c,n3"), quote);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void anExplicitKeyUnderAPrefixIsInvalidatedByPrefixAndKeyText(String text) {
    CachedFunction1<String, String> f = builder("underPrefix", false).prefix("p:" + text)
        .key(args -> "k:" + args[0]).of((String x) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> f.apply("ann@example.com"), () -> !cache.invalidateKey("k:ann@example.com"),
        () -> cache.invalidateKey("p:" + text + ":k:ann@example.com"), f);
  }

  @Test
  void aDefaultKeyUnderAPrefixIsInvalidatedByPrefixAndKeyText() {
    CachedFunction2<String, Integer, String> quote = cache.function("quote", String.class).l1Unbounded()
        .prefix("shop:ann@example.com")
        .of((String sku, Integer qty) -> "v" + computations.incrementAndGet());
    assertDroppedOnlyBy(() -> quote.apply("A-42", 3), () -> !cache.invalidateKey("quote:sA-42,n3"),
        () -> cache.invalidateKey("shop:ann@example.com:quote:sA-42,n3"), quote);
  }
}
