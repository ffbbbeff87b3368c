package io.tiercache;

/** Every case of {@link TagsTest} with a W-TinyLFU L1 (Caffeine's store) in both processes. */
class TagsWTinyLfuTest extends TagsTest {
  @Override
  public L1Policy l1Policy() {
    return L1Policy.W_TINY_LFU;
  }
}
