package io.tiercache.internal.engine;

import io.tiercache.KeyHashing;
import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.codec.Codec;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What every function of one {@code TierCache} shares, handed to the function builder so that it
 * needs the settings, not the {@code TierCache} (the front door builds functions; nothing built
 * reaches back to it).
 *
 * @param namespace the first part of every L2 key
 * @param backends the configured backends, by alias
 * @param backendResolver the backend for an alias ({@code null}: the default one), or null for none
 * @param registry the invalidations and coherence links of this cache
 * @param asyncContext the executor and scheduler of async functions
 * @param codec the default codec of L2 values
 * @param time the clock
 * @param keyHashing how over-long L2 keys are shortened
 * @param l2Timeout how long one L2 command may take
 * @param keyEncoders the registered key text of argument types
 */
public record CacheSettings(String namespace, Map<String, Backend> backends,
    Function<String, Backend> backendResolver, EngineRegistry registry, AsyncContext asyncContext,
    Codec codec, TimeSource time, KeyHashing keyHashing, Duration l2Timeout,
    Map<Class<?>, Function<Object, String>> keyEncoders) {}
