package io.tiercache.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tiercache}: the operators' command line for a live tiercache namespace. Each subcommand
 * connects through the library's own backends (so keys, version stamps and the invalidation channel
 * are exactly the applications'), does one thing, prints what it did, and exits with a code from
 * {@link ExitCodes}.
 */
@Command(name = "tiercache", mixinStandardHelpOptions = true, versionProvider = TierCacheCli.Version.class,
    description = "Invalidate, inspect, list, watch and check a live tiercache namespace.",
    subcommands = {InvalidateCommand.class, HealthCommand.class, InspectCommand.class, KeysCommand.class,
        StatsCommand.class, WatchCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:everything ok",
        "1:degraded, or nothing found/invalidated",
        "2:usage error",
        "3:authentication failed",
        "4:server unreachable",
        "5:not supported by this backend"})
public final class TierCacheCli implements Runnable {
  private final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private TierCacheCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The environment variables the commands read ({@code --password-env}). */
  Map<String, String> env() {
    return env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a command, e.g. tiercache health --redis redis://localhost:6379");
  }

  /**
   * The command line, printing to {@code out} and {@code err}, reading {@code env} for
   * {@code --password-env}: what {@link #main} runs, and what tests run in-process.
   *
   * @param out where results and help go
   * @param err where errors go
   * @param env the environment variables, for {@code --password-env}
   * @return the configured command line, ready to execute
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cli = new CommandLine(new TierCacheCli(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> e instanceof CliException c ? c.exitCode() : ExitCodes.DEGRADED_OR_NOT_FOUND);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tiercache: " + (e instanceof CliException ? e.getMessage()
          : e.getClass().getSimpleName() + ": " + e.getMessage()));
      commandLine.getErr().flush();
      return e instanceof CliException c ? c.exitCode() : ExitCodes.DEGRADED_OR_NOT_FOUND;
    });
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine failed = e.getCommandLine();
      failed.getErr().println("tiercache: " + e.getMessage());
      failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
      failed.getErr().flush();
      return ExitCodes.USAGE;
    });
    return cli;
  }

  /**
   * Runs {@code tiercache} and exits with its code.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = commandLine(out, err, System.getenv()).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** The version in the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TierCacheCli.class.getPackage().getImplementationVersion();
      return new String[] {"tiercache " + (v == null ? "(development build)" : v)};
    }
  }
}
