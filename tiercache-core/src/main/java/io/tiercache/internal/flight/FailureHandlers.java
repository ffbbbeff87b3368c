package io.tiercache.internal.flight;

import java.util.Set;

/**
 * Whether the calling thread runs inside a {@code CompletableFuture} failure handler: whether the
 * innermost {@code CompletableFuture} frame on its stack is one that runs an {@code exceptionally},
 * {@code exceptionallyCompose}, {@code handle} or {@code whenComplete} callback (or an async form).
 * Only the innermost one counts: a caller's {@code thenCompose} callback that runs nested inside
 * some other stage's {@code whenComplete} (the engine completes callers' futures from one) is not
 * in a failure handler. Asked only when a call would join a flight whose function returned a
 * pending stage, never on an L1 hit.
 */
final class FailureHandlers {
  /** How far down the stack the innermost completion frame is looked for. */
  private static final int DEPTH = 64;
  private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  /** Completions that run failure handlers on a stage that completes later. */
  private static final Set<String> HANDLER_CLASSES = Set.of(
      COMPLETABLE_FUTURE + "$UniExceptionally",
      COMPLETABLE_FUTURE + "$UniComposeExceptionally",
      COMPLETABLE_FUTURE + "$UniHandle",
      COMPLETABLE_FUTURE + "$UniWhenComplete");
  /** Methods that run a failure handler at once, on a stage already complete. */
  private static final Set<String> HANDLER_METHODS = Set.of(
      "uniExceptionallyStage", "uniComposeExceptionallyStage", "uniHandleStage", "uniWhenCompleteStage");
  private static final StackWalker WALKER = StackWalker.getInstance();

  private FailureHandlers() {}

  static boolean onStack() {
    return WALKER.walk(frames -> frames.limit(DEPTH)
        .filter(f -> f.getClassName().startsWith(COMPLETABLE_FUTURE))
        .findFirst()
        .map(f -> HANDLER_CLASSES.contains(f.getClassName())
            || (f.getClassName().equals(COMPLETABLE_FUTURE) && HANDLER_METHODS.contains(f.getMethodName())))
        .orElse(false));
  }
}
