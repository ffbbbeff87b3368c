package io.tiercache.backend;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A capability a {@link Backend} may offer: short exclusive leases on keys, which cached functions
 * with a {@code lease(...)} use so that when several processes miss the same entry at once, one
 * computes it and the others wait for its result instead of computing it too.
 *
 * <p>A lease is held under its own key (tiercache sends {@code <namespace>:#l:<entry key>}, never
 * an entry's key) by whoever presented a token when taking it. It ends when its holder releases it
 * with the same token, or when its TTL runs out, whichever comes first; a release with another
 * token changes nothing, so a holder whose lease expired and was taken by someone else can never
 * end the new holder's lease.
 *
 * <p>As for every backend operation, failures go into the returned stage and are never thrown; the
 * engine treats a failed lease operation as "no lease" and computes. Implementations must pass
 * {@code LeaseSuite} from {@code tiercache-testkit}.
 */
public interface LeasingBackend extends Backend {

  /**
   * Takes the lease on {@code key} for {@code token} if nobody holds it.
   *
   * @param key the lease's key (at most 250 printable ASCII characters, like every key)
   * @param token who takes it: unique per attempt, printable ASCII, at most 64 characters
   * @param ttl how long the lease lasts unless released first; positive
   * @return a stage completing with true if the lease is now held with {@code token}, false if
   *     someone holds it (this token included: leases are not re-entrant)
   */
  CompletionStage<Boolean> tryLease(String key, String token, Duration ttl);

  /**
   * Ends the lease on {@code key} if it is held with {@code token}; otherwise changes nothing.
   *
   * @param key the full L2 key of the entry the lease guards
   * @param token the token the lease was taken with
   * @return a stage completing with true if this call ended the lease, false if it was not held
   *     with {@code token} (expired, taken by another, never taken)
   */
  CompletionStage<Boolean> releaseLease(String key, String token);
}
