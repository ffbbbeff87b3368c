package io.tiercache.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** Runs {@code tiercache} in-process, as {@code main} does, capturing what it prints. */
final class Cli {
  private Cli() {}

  /** What one run printed, and its exit code. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static Result run(String... args) {
    return runWith(Map.of(), args);
  }

  static Result runWith(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TierCacheCli.commandLine(new PrintWriter(out), new PrintWriter(err), env).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs the command again until {@code done} holds, for at most {@code limit}; fails loudly then. */
  static Result until(Duration limit, Predicate<Result> done, String... args) {
    long deadline = System.nanoTime() + limit.toNanos();
    Result last = run(args);
    while (!done.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not reached within " + limit + "; last run: " + last);
      }
      Thread.onSpinWait();
      last = run(args);
    }
    return last;
  }
}
