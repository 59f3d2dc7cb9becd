package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Tells what became of a secret, from its receipt link: waiting, opened, expired, deleted or "
        + "burned (destroyed by wrong passphrases).",
        "Prints the state, a tab and its time (opened, deleted, burned or expired; '-' while waiting), a tab and "
            + "the expiry."})
final class StatusCommand implements Callable<Integer> {
  @Mixin ReceiptArgument receipt = new ReceiptArgument();

  @Override
  public Integer call() {
    Link r = receipt.link();
    JsonNode s = new Api(r.base()).receipt(r.id(), r.token());
    System.out.println(s.path("state").asText() + "\t" + s.path("at").asText("-") + "\t"
        + s.path("expiresAt").asText());
    return Ots.OK;
  }
}
