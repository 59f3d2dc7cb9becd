package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.ClientEnvelope;
import io.onetimeshare.SecretKind;
import io.onetimeshare.crypto.Argon2idParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "share", mixinStandardHelpOptions = true,
    description = {"Seals FILE (or standard input) here and uploads only the ciphertext.",
        "Prints the link on the first line and the receipt link (keep it: it tells whether the secret was opened, "
            + "and deletes it) on the second; nothing else goes to standard output."})
final class ShareCommand implements Callable<Integer> {
  /** Plaintext bytes per segment: the page's size, so both write alike. */
  static final int SEGMENT = 256 * 1024;

  @Parameters(arity = "0..1", paramLabel = "FILE|-",
      description = "What to share; '-' or nothing reads standard input (as text unless --name is given).")
  @Nullable String file;

  @Option(names = "--passphrase", description = "Seal under a passphrase, asked without echo (twice). The link then "
      + "carries no key; the receiver must type the passphrase.")
  boolean passphrase;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase from the first line of FILE (implies --passphrase).")
  @Nullable Path passphraseFile;

  @Option(names = "--ttl", defaultValue = "1d", paramLabel = "DURATION", converter = Durations.class,
      description = "Expires unopened after this long: 600 (seconds), 10m, 1h, 1d, 7d. Default: ${DEFAULT-VALUE}.")
  Duration ttl = Duration.ofDays(1);

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:OTS_SERVER:-http://127.0.0.1:8080/}",
      description = "The OneTimeShare server. Default: $OTS_SERVER, else ${DEFAULT-VALUE}.")
  String server = "http://127.0.0.1:8080/";

  @Option(names = "--name", paramLabel = "NAME",
      description = "Share standard input as a file with this name (default: as text).")
  @Nullable String name;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the API token (for a server where creating "
      + "needs one) from the first line of FILE. Default: $OTS_TOKEN. Never give a token as an argument.")
  @Nullable Path tokenFile;

  /** Refused with a message: an argument is visible to every user of the machine (ps, /proc). */
  @Option(names = "--token", hidden = true, paramLabel = "TOKEN")
  @Nullable String tokenArgument;

  @Option(names = "--notify", paramLabel = "URL", description = "Have the server POST a signed webhook to URL when the "
      + "secret is opened, expires, is burned or deleted (if the server allows callbacks). Its signing secret "
      + "(whsec_...) is printed as a third line.")
  @Nullable String notify;

  @Option(names = "--progress", negatable = true, description = "Show a progress bar on standard error (default: "
      + "when standard error is a terminal and the input is over 1 MiB).")
  @Nullable Boolean progress;

  @Override
  public Integer call() throws IOException {
    boolean stdin = file == null || file.equals("-");
    if (stdin && file == null && Terminal.console() != null) {
      throw new CliException(Ots.USAGE, "Give a FILE, or pipe the secret in: echo 'secret' | ots share");
    }
    Path path = stdin ? null : Path.of(file);
    if (path != null && !Files.isRegularFile(path)) {
      throw new CliException(Ots.USAGE, "No such file: " + file);
    }
    long size = path == null ? -1 : Files.size(path);
    if (size == 0) {
      throw new CliException(Ots.USAGE, "The file is empty; there is nothing to share.");
    }
    CryptoWarmup.startIf(size);
    SecretKind kind = stdin && name == null ? SecretKind.TEXT : SecretKind.FILE;
    String filename = path != null ? String.valueOf(path.getFileName()) : name;
    char[] pass = passphrase || passphraseFile != null ? Terminal.passphrase(passphraseFile, true) : null;
    Api api = new Api(URI.create(server), Terminal.apiToken(tokenArgument, tokenFile));
    JsonNode t = api.begin(SEGMENT, ttl, notify);
    String id = Api.checked(t, "id");
    String token = Api.checked(t, "deleteToken");
    ClientEnvelope.Sealing sealing;
    try {
      sealing = ClientEnvelope.seal(id, SEGMENT, pass, Argon2idParameters.owaspMinimum(), kind, filename, null);
    } finally {
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
    PrintStream err = System.err;
    Progress bar = new Progress(err, progress != null ? progress : Terminal.console() != null && size > 1 << 20,
        "Sealing and uploading", size);
    try (InputStream in = path == null ? System.in : Files.newInputStream(path)) {
      Uploading.send(api, id, token, SEGMENT + 16, t.path("maxRequestBytes").asLong(8 << 20), sealing, in, bar);
    }
    System.out.println(Link.secret(api.base(), id, sealing.key()));
    System.out.println(Link.receipt(api.base(), id, token));
    if (notify != null) {
      System.out.println(Api.checked(t, "notifySecret")); // the receiver verifies the webhooks with it
    }
    return Ots.OK;
  }
}
