/**
 * tiercache's core: the API users call ({@code io.tiercache}, {@code io.tiercache.annotation}) and
 * the SPI that backends and codecs implement ({@code backend}, {@code codec}, {@code coherence},
 * {@code lease}). Everything under {@code io.tiercache.internal} is machinery and is not exported.
 */
module io.tiercache.core {
  requires transitive org.slf4j;
  requires com.github.benmanes.caffeine;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires net.bytebuddy;
  requires com.dynatrace.hash4j;

  exports io.tiercache;
  exports io.tiercache.annotation;
  exports io.tiercache.backend;
  exports io.tiercache.codec;
  exports io.tiercache.coherence;
  exports io.tiercache.lease;

  // The one throttled logger, shared with the backend modules of this project only.
  exports io.tiercache.internal.log to io.tiercache.redis;
}
