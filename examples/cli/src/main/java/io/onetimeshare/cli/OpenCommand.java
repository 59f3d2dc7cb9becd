package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.ClientEnvelope;
import io.onetimeshare.Credential;
import io.onetimeshare.OpenedStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

  @Option(names = "--force", description = "Replace an existing output file.")
  boolean force;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase from the first line of FILE instead of asking.")
  @Nullable Path passphraseFile;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress bar on standard error (default: when writing a file from a terminal).")
  @Nullable Boolean progress;

  @Override
  public Integer call() throws IOException {
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
      byte[] proof = ClientEnvelope.proof(l.id(), context, c);
      Progress bar = new Progress(System.err, progress != null ? progress : output != null && Terminal.console() != null,
          "Downloading and decrypting", -1);
      InputStream envelope = new Counting(api.openSealed(l.id(), proof), bar);
      try (OpenedStream o = ClientEnvelope.open(l.id(), c, envelope)) {
        if (output == null) {
          o.content().transferTo(System.out);
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
    Path target = given;
    if (Files.isDirectory(target)) {
      String sealedName = o.filename();
      String name = sealedName == null ? "secret.bin" : sealedName.replaceAll("[/\\\\\\x00-\\x1f]", "_");
      name = name.equals(".") || name.equals("..") ? "secret.bin" : name;
      target = target.resolve(name);
      // the secret is consumed already: never refuse now, take a free name beside the one in use
      for (int i = 1; Files.exists(target) && !force; i++) {
        int dot = name.lastIndexOf('.');
        target = given.resolve(dot > 0 ? name.substring(0, dot) + " (" + i + ")" + name.substring(dot)
            : name + " (" + i + ")");
      }
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    boolean done = false;
    try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      o.content().transferTo(out);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(part);
      }
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.println("Saved " + target);
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
