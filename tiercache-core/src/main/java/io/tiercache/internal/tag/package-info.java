/**
 * Tags and prefixes: version stamps stored in L2 beside the entries they cover, so invalidating a
 * tag or a prefix is one backend write whatever the number of entries. Internal.
 */
package io.tiercache.internal.tag;
