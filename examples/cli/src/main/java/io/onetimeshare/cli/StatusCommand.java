package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Tells what became of a secret, from its receipt link: waiting, opened, expired, deleted or "
        + "burned (destroyed by wrong passphrases).",
        "Prints the state, a tab and its time (opened, deleted, burned or expired; '-' while waiting), a tab and "
            + "the expiry."})
final class StatusCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "RECEIPT",
      description = "The receipt link; leave it out (or '-') to paste it without echo or read it from standard input.")
  @Nullable String receipt;

  @Override
  public Integer call() {
    Link r = Link.receiptFrom(receipt);
    JsonNode s = new Api(r.base()).receipt(r.id(), r.token());
    System.out.println(s.path("state").asText() + "\t" + s.path("at").asText("-") + "\t"
        + s.path("expiresAt").asText());
    return Ots.OK;
  }
}
