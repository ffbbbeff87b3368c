package io.tiercache.codec;

/**
 * The version a tag (or prefix) had when an entry's computation began. The entry is valid while
 * every one of its tags still has the version it was stamped with.
 *
 * @param key the tag's L2 key ({@code <namespace>:#t:<tag>}, or {@code #p:<prefix>} for a prefix)
 * @param version the version read from L2 before computing
 */
public record TagStamp(String key, long version) {}
