package io.onetimeshare;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A secret handed out whole and still sealed: its envelope (header, then segments) for a client that opens it
 * itself, so that the key never reaches the server. Consumed when returned; close it.
 *
 * @param id the secret id
 * @param envelope the envelope bytes as stored
 * @since 0.2
 */
public record SealedSecret(String id, InputStream envelope) implements Closeable {
  public SealedSecret {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
  }

  @Override
  public void close() throws IOException {
    envelope.close();
  }
}
