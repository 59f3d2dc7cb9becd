package io.onetimeshare.split;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import java.io.IOException;
import java.io.InputStream;

/** A claimed secret whose body streams from the body store; {@code done} runs once the open ends (the delete). */
final class FromStore implements SecretVault.ClaimedSecret {
  private final SecretRecord record;
  private final BodyStore.Body body;
  private final Runnable done;

  FromStore(SecretRecord record, BodyStore.Body body, Runnable done) {
    this.record = record;
    this.body = body;
    this.done = done;
  }

  @Override
  public SecretRecord record() {
    return record;
  }

  @Override
  public InputStream body() {
    return body.stream();
  }

  @Override
  public long bodyLength() {
    return body.length();
  }

  @Override
  public void close() throws IOException {
    try {
      body.stream().close();
    } finally {
      done.run(); // claimed: opened once, whatever the reader did with it
    }
  }
}
