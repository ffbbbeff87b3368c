package io.tiercache.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every command shares: the connection options, the output streams, connecting and closing. */
abstract class CommandBase implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Spec
  CommandSpec spec;

  @ParentCommand
  TierCacheCli cli;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    check();
    try (ConnectionOptions.Target target = connection.open(cli.env())) {
      return run(target);
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** Checks the command's own options before connecting; throws a {@link CliException} of USAGE. */
  void check() {}

  /** Does the command's work on a connected target; returns the exit code. */
  abstract int run(ConnectionOptions.Target target) throws Exception;
}
