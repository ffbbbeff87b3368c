package io.tiercache.internal.engine;

import io.tiercache.internal.expiry.TtlPolicy;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.key.L2KeyEncoder;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one call's entry lives and what marks it, from the function's declarations: its L2 key,
 * its tag keys (prefix first), its lifetime. Shared by the synchronous and the asynchronous engine,
 * so both name, tag and expire entries the same way.
 */
final class EntryPlanner {
  private final L2KeyEncoder keys;
  private final Declarations declarations;
  private final boolean marksEntries;
  private final EngineRegistry registry;
  private final TtlPolicy ttl;

  EntryPlanner(L2KeyEncoder keys, Declarations declarations, EngineRegistry registry, TtlPolicy ttl) {
    this.keys = keys;
    this.declarations = declarations;
    this.marksEntries = declarations.marksEntries();
    this.registry = registry;
    this.ttl = ttl;
  }

  /** Where one call's entry lives: its L2 key and the tags known from its arguments. */
  record Plan(String l2Key, List<String> tagKeys) {}

  /** Whether entries carry an {@link L1Entry} (key, prefix or tags that invalidations look for). */
  boolean marksEntries() {
    return marksEntries;
  }

  /** The call's plan; validates the arguments (a type without a key encoding fails here). */
  Plan plan(ArgsKey key, Object[] args) {
    if (!marksEntries) {
      return new Plan(keys.encode(key), List.of());
    }
    String prefix = declarations.prefix() == null ? null : declarations.prefix().apply(args);
    String l2Key;
    if (declarations.key() != null) {
      keys.validate(key);
      l2Key = L2KeyEncoder.explicitKey(registry.namespaceHead(), prefix, declarations.key().apply(args));
    } else {
      l2Key = prefix == null ? keys.encode(key) : keys.encode(key, prefix);
    }
    Set<String> tagKeys = new LinkedHashSet<>();
    if (prefix != null) {
      tagKeys.add(registry.prefixKey(prefix));
    }
    if (declarations.tags() != null) {
      for (String tag : declarations.tags().apply(args)) {
        tagKeys.add(registry.tagKey(tag));
      }
    }
    return new Plan(l2Key, List.copyOf(tagKeys));
  }

  /** The tag keys of an entry once its value is known: the plan's, then those of the result. */
  Set<String> tagKeysWithResult(Plan plan, Object[] args, Object value) {
    Set<String> tagKeys = new LinkedHashSet<>(plan.tagKeys());
    if (declarations.resultTags() != null) {
      for (String tag : declarations.resultTags().apply(args, value)) {
        tagKeys.add(registry.tagKey(tag));
      }
    }
    return tagKeys;
  }

  /** The lifetime of a new entry for these arguments (jitter drawn now), or null for none. */
  Duration lifetime(Object[] args) {
    return ttl.next(declarations.ttl() == null ? null : declarations.ttl().apply(args));
  }

  /** What L1 holds for a value: the value itself, or an {@link L1Entry} when entries are marked. */
  Object l1Value(Object value, String l2Key, Set<String> tagKeys) {
    return marksEntries ? new L1Entry(value, l2Key, Set.copyOf(tagKeys)) : value;
  }

  /** The prefix tag key of a call's entry, or null if the function has no prefix. */
  String prefixKeyOf(Object[] args) {
    return declarations.prefix() == null ? null : registry.prefixKey(declarations.prefix().apply(args));
  }

  /** The tag keys of a call's declared tags (not its prefix). */
  Set<String> declaredTagKeysOf(Object[] args) {
    Set<String> tagKeys = new LinkedHashSet<>();
    if (declarations.tags() != null) {
      for (String tag : declarations.tags().apply(args)) {
        tagKeys.add(registry.tagKey(tag));
      }
    }
    return tagKeys;
  }
}
