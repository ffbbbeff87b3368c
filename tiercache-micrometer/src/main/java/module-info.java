/** Micrometer meters of tiercache's cached functions, L2 errors, leases and coherence. */
@SuppressWarnings("requires-transitive-automatic")
module io.tiercache.micrometer {
  requires transitive io.tiercache.core;
  requires transitive micrometer.core;

  exports io.tiercache.micrometer;
}
