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
 * @param length the envelope's length in bytes, or -1 when the store could not tell (since 0.3)
 * @since 0.2
 */
public record SealedSecret(String id, InputStream envelope, long length) implements Closeable {
  public SealedSecret {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or more");
    }
  }

  /** A sealed secret of unknown length. */
  public SealedSecret(String id, InputStream envelope) {
    this(id, envelope, -1);
  }

  @Override
  public void close() throws IOException {
    envelope.close();
  }
}
