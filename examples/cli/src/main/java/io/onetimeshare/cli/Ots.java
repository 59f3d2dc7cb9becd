package io.onetimeshare.cli;

import io.onetimeshare.IntegrityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShareException;
import io.onetimeshare.WrongCredentialException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ots}: shares and opens secrets from a terminal. It seals and opens locally (envelope format v1, the same as
 * the web page), so the server never sees the plaintext, the key or the passphrase.
 *
 * <p>Exit codes, for scripts: 0 done; 1 unexpected failure; 2 bad usage or input (also: nothing to share); 3 not
 * found (opened, expired, deleted, or never existed); 4 wrong key, passphrase or deletion token; 5 refused by the
 * server (too large, rate limited, full, invalid); 6 server unreachable or unavailable; 7 the secret arrived damaged
 * (it was consumed and cannot be opened again).
 */
@Command(name = "ots", mixinStandardHelpOptions = true, version = "ots 0.2",
    description = "Share a secret text or file exactly once. Sealing and opening happen here; the server only "
        + "ever holds ciphertext.",
    subcommands = {ShareCommand.class, OpenCommand.class, StatusCommand.class, DeleteCommand.class,
        RequestCommand.class, AnswerCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:unexpected failure", "2:bad usage or input", "3:not found (opened, expired, "
        + "deleted or never existed)", "4:wrong key, passphrase or deletion token", "5:refused by the server (too "
        + "large, rate limited, full)", "6:server unreachable or unavailable", "7:the secret arrived damaged"})
public final class Ots implements Runnable {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int DENIED = 4;
  static final int REFUSED = 5;
  static final int UNAVAILABLE = 6;
  static final int DAMAGED = 7;

  @CommandLine.Spec
  CommandLine.Model.@org.jspecify.annotations.Nullable CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        "Name a command: share, open, status or delete.");
  }

  /** Runs {@code ots} with these arguments and returns its exit code. */
  static int run(String... args) {
    CommandLine cl = new CommandLine(new Ots());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("ots: " + message(e));
      err.flush();
      return code(e);
    });
    return cl.execute(args);
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    // messages may carry a server's words: never let them drive the terminal
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : TerminalText.message(m);
  }

  private static int code(Exception e) {
    if (e instanceof CliException c) {
      return c.code;
    }
    if (e instanceof WrongCredentialException) {
      return DENIED;
    }
    if (e instanceof IntegrityException) {
      return DAMAGED;
    }
    if (e instanceof InvalidArgumentException) {
      return USAGE;
    }
    if (e instanceof java.io.IOException || e instanceof OneTimeShareException) {
      return UNAVAILABLE;
    }
    return FAILURE;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
