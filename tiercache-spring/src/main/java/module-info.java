/** Spring's cache abstraction on tiercache's two layers, and {@code @Cached} on Spring beans. */
// Spring's jars are automatic modules (Automatic-Module-Name), as they have been since Spring 5
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.tiercache.spring {
  requires transitive io.tiercache.core;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires spring.core;

  exports io.tiercache.spring;
  // @EnableTierCache's imported configuration is read and instantiated by Spring
  opens io.tiercache.spring to spring.core, spring.beans, spring.context;
}
