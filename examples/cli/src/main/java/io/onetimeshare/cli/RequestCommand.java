package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.ClientEnvelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "request", mixinStandardHelpOptions = true,
    description = {"Asks someone for a secret (issue 23): makes a key pair here and stores only its public key.",
        "Prints the fill link (send it to whoever has the secret: they answer with `ots answer` once) on the first line "
            + "and your inbox link (keep it private: it holds the private key; open the answer with `ots open`) on the "
            + "second (and with --notify, the webhooks' signing secret on the third); nothing else goes to standard output. The request's receipt link (open it in a browser) goes to "
            + "standard error."})
final class RequestCommand implements Callable<Integer> {
  @Option(names = "--label", paramLabel = "TEXT", description = "What you ask for, shown to the responder; it travels "
      + "only in the fill link's fragment, never to the server.")
  @Nullable String label;

  @Option(names = "--ttl", defaultValue = "1d", paramLabel = "DURATION", converter = Durations.class,
      description = "How long the request waits for its answer, and the answer for you (default 1d).")
  Duration ttl = Duration.ofDays(1);

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:OTS_SERVER:-http://127.0.0.1:8080/}",
      description = "The server (default: $OTS_SERVER, else http://127.0.0.1:8080/).")
  String server = "http://127.0.0.1:8080/";

  @Option(names = "--notify", paramLabel = "URL", description = "Have the server POST a signed webhook to URL when the "
      + "answer arrives (request.fulfilled) or the request expires (request.expired); the signing secret is printed "
      + "once, on a third line. The server's operator must allow callbacks.")
  @Nullable String notify;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the API token (for a server where asking "
      + "needs one) from FILE; or set OTS_TOKEN.")
  @Nullable Path tokenFile;

  @Override
  public Integer call() {
    if (label != null && label.getBytes(StandardCharsets.UTF_8).length > 200) {
      throw new CliException(Ots.USAGE, "The label is longer than 200 bytes.");
    }
    ClientEnvelope.RecipientKeys keys = ClientEnvelope.RecipientKeys.generate();
    try {
      Api api = new Api(URI.create(server), Terminal.apiToken(null, tokenFile));
      JsonNode r = api.ask(keys.publicKey(), ttl, notify);
      String id = Api.checked(r, "id");
      // the fill link's fragment: the key's fingerprint, the answer token (only its holder may answer, issue 36), and
      // the label when there is one (docs/format.md, "Fill links")
      String fragment = Api.b64(keys.fingerprint()) + "." + Api.checked(r, "answerToken")
          + (label == null ? "" : "." + Api.b64(label.getBytes(StandardCharsets.UTF_8)));
      System.out.println(api.base() + "a/" + id + "#" + fragment);
      System.out.println(Link.secret(api.base(), id, Api.b64(keys.privateKey())));
      if (notify != null) {
        System.out.println(Api.checked(r, "notifySecret")); // the asker's receiver verifies the webhooks with it
      }
      // the receipt is not needed to open the answer: standard error, like the other notes
      System.err.println("Receipt (whether it was answered and opened; withdraws it): " + api.base() + "q/" + id + "#"
          + Api.checked(r, "ownerToken"));
      return Ots.OK;
    } finally {
      keys.wipe();
    }
  }
}
