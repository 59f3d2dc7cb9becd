package io.onetimeshare.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Parameters;

/** The RECEIPT argument that {@code status} and {@code delete} share (a picocli mixin). */
final class ReceiptArgument {
  @Parameters(arity = "0..1", paramLabel = "RECEIPT",
      description = "The receipt link; leave it out (or '-') to paste it without echo or read it from standard input.")
  @Nullable String receipt;

  /** The receipt link, read as {@link Link#receiptFrom} reads it. */
  Link link() {
    Terminal.warnIfArgument(receipt, "receipt link");
    return Link.receiptFrom(receipt);
  }
}
