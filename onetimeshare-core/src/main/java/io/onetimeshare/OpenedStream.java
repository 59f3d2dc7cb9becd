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
  private final long contentLength;

  OpenedStream(SecretKind kind, @Nullable String filename, @Nullable String contentType, InputStream content) {
    this(kind, filename, contentType, content, -1);
  }

  OpenedStream(SecretKind kind, @Nullable String filename, @Nullable String contentType, InputStream content,
      long contentLength) {
    super(kind, filename, contentType);
    this.content = content;
    this.contentLength = contentLength;
  }

  /**
   * How many bytes {@link #content()} yields when it is whole, known from the sealed envelope's size before any
   * content is read; empty when the store could not tell. A stream that ends (or fails) before this many bytes was
   * cut: never treat what arrived as the secret.
   *
   * @since 0.3
   */
  public java.util.OptionalLong contentLength() {
    return contentLength < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(contentLength);
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
