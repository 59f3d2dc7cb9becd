package io.onetimeshare.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Reads what must never be an argument (it would end up in the shell's history): passphrases and links. */
final class Terminal {
  private Terminal() {}

  /**
   * The console when standard input and output are a terminal, else null. From JDK 22 {@code System.console()}
   * returns a console even when they are redirected; {@code Console.isTerminal()} (JDK 22) then tells.
   */
  @SuppressWarnings("SystemConsoleNull")
  static @Nullable Console console() {
    Console c = System.console();
    if (c == null) {
      return null;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c) ? c : null;
    } catch (ReflectiveOperationException e) {
      return c; // JDK 17 to 21: a console exists only for a terminal
    }
  }

  /**
   * A passphrase: from {@code file} (its first line), else asked on the terminal without echo ({@code confirm}: twice),
   * else from the environment variable {@code OTS_PASSPHRASE}.
   */
  static char[] passphrase(@Nullable Path file, boolean confirm) {
    if (file != null) {
      try {
        String line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        return nonEmpty(line.toCharArray());
      } catch (IOException e) {
        throw new CliException(Ots.USAGE, "Cannot read the passphrase file " + file + ".");
      }
    }
    Console c = console();
    if (c != null) {
      char[] p = nonEmpty(c.readPassword("Passphrase: "));
      if (confirm) {
        char[] again = c.readPassword("Passphrase again: ");
        boolean same = Arrays.equals(p, again);
        Arrays.fill(again, '\0');
        if (!same) {
          Arrays.fill(p, '\0');
          throw new CliException(Ots.USAGE, "The two passphrases differ.");
        }
      }
      return p;
    }
    String env = System.getenv("OTS_PASSPHRASE");
    if (env != null && !env.isEmpty()) {
      return env.toCharArray();
    }
    throw new CliException(Ots.USAGE, "A passphrase is needed and there is no terminal to ask it on: use "
        + "--passphrase-file FILE or the OTS_PASSPHRASE environment variable.");
  }

  /**
   * The API token to create with (issue 21): the first line of {@code file}, else {@code OTS_TOKEN}, else none. One
   * given as an argument is refused: every user of the machine can read arguments.
   */
  static @Nullable String apiToken(@Nullable String argument, @Nullable Path file) {
    if (argument != null) {
      throw new CliException(Ots.USAGE, "A token is never given as an argument (other users of this machine could "
          + "read it); use OTS_TOKEN or --token-file FILE.");
    }
    if (file != null) {
      try {
        String line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        if (line.isEmpty()) {
          throw new CliException(Ots.USAGE, "The token file " + file + " is empty.");
        }
        return line;
      } catch (IOException e) {
        throw new CliException(Ots.USAGE, "Cannot read the token file " + file + ".");
      }
    }
    String env = System.getenv("OTS_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }

  private static char[] nonEmpty(char @Nullable [] p) {
    if (p == null || p.length == 0) {
      throw new CliException(Ots.USAGE, "The passphrase is empty.");
    }
    return p;
  }

  /** A link given as "-" or not at all: asked without echo on a terminal, else the first line of standard input. */
  static String link(@Nullable String given, String what) {
    if (given != null && !given.equals("-")) {
      return given;
    }
    Console c = console();
    if (c != null && given == null) {
      char[] l = c.readPassword("Paste the " + what + " (not shown): ");
      return l == null ? "" : new String(l);
    }
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return line == null ? "" : line;
    } catch (IOException e) {
      throw new CliException(Ots.USAGE, "Cannot read the " + what + " from standard input.");
    }
  }

  /**
   * Whether standard output is a terminal, even when standard input is not (a link piped in): on Linux from what
   * file descriptor 1 is, elsewhere from the console.
   */
  static boolean stdoutIsTerminal() {
    try {
      String fd1 = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return fd1.startsWith("/dev/pts/") || fd1.startsWith("/dev/tty") || fd1.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return console() != null;
    }
  }

  /**
   * Warns when a link that holds a key or token was given as an argument: other users see it in {@code ps}, and it
   * stays in the shell's history. Reading it from standard input or the prompt is the safe way.
   */
  static void warnIfArgument(@Nullable String given, String what) {
    if (given != null && !given.equals("-")) {
      System.err.println("ots: warning: the " + what + " was given as an argument, where other users can see it "
          + "(ps) and your shell keeps it (history); leave it out to paste it, or pipe it in.");
    }
  }
}
