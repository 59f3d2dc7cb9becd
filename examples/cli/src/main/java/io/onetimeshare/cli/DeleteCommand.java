package io.onetimeshare.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Deletes a secret before it is opened, with its receipt link. Prints 'deleted'.")
final class DeleteCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "RECEIPT",
      description = "The receipt link; leave it out (or '-') to paste it without echo or read it from standard input.")
  @Nullable String receipt;

  @Override
  public Integer call() {
    Link r = Link.receiptFrom(receipt);
    new Api(r.base()).delete(r.id(), r.token());
    System.out.println("deleted");
    return Ots.OK;
  }
}
