package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.ClientEnvelope;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.Credential;
import io.onetimeshare.FileNames;
import io.onetimeshare.OpenedStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "open", mixinStandardHelpOptions = true,
    description = {"Opens a secret's link, once: fetches the envelope, checks and decrypts it here.",
        "Writes the content to standard output, or to -o FILE (written aside and renamed when complete)."})
final class OpenCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "LINK", description = "The link; leave it out (or '-') to paste it "
      + "without echo, or to read it from standard input, and keep the key out of your shell history.")
  @Nullable String link;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write here instead of standard output; a directory gets the secret's own file name.")
  @Nullable Path output;

  @Option(names = "--force", description = "Replace an existing output FILE that you named. Never applies to a "
      + "name the sender chose (-o DIR): that always gets a free name beside an existing file.")
  boolean force;

  @Option(names = "--raw", description = "Write a text secret to a terminal exactly as it is, control characters "
      + "and escape sequences included (by default they are shown escaped on a terminal; piped output is exact).")
  boolean raw;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase from the first line of FILE instead of asking.")
  @Nullable Path passphraseFile;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress bar on standard error (default: when writing a file from a terminal).")
  @Nullable Boolean progress;

  @Override
  public Integer call() throws IOException {
    Terminal.warnIfArgument(link, "link");
    Link l = Link.parse(Terminal.link(link, "link"), 's');
    Api api = new Api(l.base());
    JsonNode info = api.peek(l.id());
    byte[] context = Base64.getUrlDecoder().decode(info.path("proofContext").asText());
    boolean needsPassphrase = info.path("passphraseRequired").asBoolean();
    if (!needsPassphrase && l.fragment() == null) {
      throw new CliException(Ots.USAGE, "This link has no key after '#'; it was cut short.");
    }
    if (output != null && !Files.isDirectory(output) && Files.exists(output) && !force) {
      throw new CliException(Ots.USAGE, output + " exists; use --force to replace it (nothing was opened).");
    }
    Credential c;
    if (needsPassphrase) {
      char[] p = Terminal.passphrase(passphraseFile, false);
      c = Credential.passphrase(p);
      Arrays.fill(p, '\0');
    } else {
      c = Credential.key(java.util.Objects.requireNonNull(l.fragment()));
    }
    try {
      // the proof context comes from the server: refuse to stretch the passphrase with less than our own floor
      byte[] proof;
      try {
        proof = ClientEnvelope.proof(l.id(), context, c, Argon2idParameters.clientFloor());
      } catch (io.onetimeshare.IntegrityException wrongKey) {
        // mode 3: the inbox link's private key does not unwrap this answer's key. A wrong key, as the exit codes
        // say (4), found before anything is asked of the server, so the answer is still there for the right key.
        // Anything else (a context below the floor, a damaged one) stays what it is: damaged (7)
        if (wrongKey instanceof io.onetimeshare.UnsupportedEnvelopeException
            || !String.valueOf(wrongKey.getMessage()).startsWith("The private key does not open")) {
          throw wrongKey;
        }
        throw new CliException(Ots.DENIED, "This link's private key does not open this secret (it was sealed to "
            + "another key, or the link was changed). Nothing was opened; it still waits for the right key.");
      }
      Progress bar = new Progress(System.err, progress != null ? progress : output != null && Terminal.console() != null,
          "Downloading and decrypting", -1);
      InputStream envelope = new Counting(api.openSealed(l.id(), proof), bar);
      try (OpenedStream o = ClientEnvelope.open(l.id(), c, envelope)) {
        if (output == null) {
          if (!raw && Terminal.stdoutIsTerminal()) {
            TerminalText.write(o.content(), System.out, System.err);
          } else {
            o.content().transferTo(System.out);
          }
          System.out.flush();
        } else {
          writeFile(o, output);
        }
      } catch (IOException e) {
        throw new CliException(Ots.UNAVAILABLE, "The download was cut: " + e.getMessage()
            + " The secret was consumed and cannot be opened again.");
      }
      bar.finish();
    } finally {
      c.wipe();
    }
    return Ots.OK;
  }

  private void writeFile(OpenedStream o, Path given) throws IOException {
    if (Files.isDirectory(given)) {
      // the sender chose this name: sanitised by the one rule every client applies, never replacing a file
      String safe = FileNames.safe(o.filename());
      String name = safe == null ? "secret.bin" : safe;
      Path dir = given.toAbsolutePath().normalize();
      Path part = SafeFiles.createPart(dir);
      try {
        copy(o, part);
        Path saved = SafeFiles.publishBeside(part, dir, name);
        System.err.println("Saved " + saved);
      } finally {
        Files.deleteIfExists(part);
      }
      return;
    }
    Path target = given.toAbsolutePath().normalize();
    Path dir = target.getParent() == null ? Path.of("").toAbsolutePath() : target.getParent();
    Path part = SafeFiles.createPart(dir);
    try {
      copy(o, part);
      SafeFiles.publish(part, target, force); // a name the receiver typed: --force may replace it
      System.err.println("Saved " + target);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Writes the content into the part file; a failure leaves it to be deleted, never under the final name. */
  private static void copy(OpenedStream o, Path part) throws IOException {
    try (OutputStream out = new BackgroundWriter(part)) {
      o.content().transferTo(out);
    }
  }

  /** Counts the envelope's bytes for the progress bar. */
  private static final class Counting extends FilterInputStream {
    private final Progress bar;

    Counting(InputStream in, Progress bar) {
      super(in);
      this.bar = bar;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        bar.add(n);
      }
      return n;
    }
  }
}
