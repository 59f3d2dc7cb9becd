package io.onetimeshare.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Deletes a secret before it is opened, with its receipt link. Prints 'deleted'.")
final class DeleteCommand implements Callable<Integer> {
  @Mixin ReceiptArgument receipt = new ReceiptArgument();

  @Override
  public Integer call() {
    Link r = receipt.link();
    new Api(r.base()).delete(r.id(), r.token());
    System.out.println("deleted");
    return Ots.OK;
  }
}
