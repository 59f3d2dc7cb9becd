package io.onetimeshare;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * An opened secret as a stream, for large files: each segment is authenticated before its bytes are returned, so a
 * tampered segment ends the stream with an {@link IntegrityException} instead of wrong bytes. The secret is already
 * consumed when this is returned: a download cut off halfway cannot be retried. Close it.
 *
 * @since 0.1
 */
public final class OpenedStream extends Opened implements Closeable {
  private final InputStream content;

  OpenedStream(SecretKind kind, @Nullable String filename, @Nullable String contentType, InputStream content) {
    super(kind, filename, contentType);
    this.content = content;
  }

  /** The plaintext content. */
  public InputStream content() {
    return content;
  }

  @Override
  public void close() throws IOException {
    content.close();
  }

  @Override
  public String toString() {
    return "OpenedStream[kind=" + kind() + "]";
  }
}
