/**
 * The two-layer engine that one cached function runs on, and the handles users hold. Internal: the
 * public API is in {@code io.tiercache}.
 */
package io.tiercache.internal.engine;
