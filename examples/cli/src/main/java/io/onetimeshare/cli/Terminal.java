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
}
