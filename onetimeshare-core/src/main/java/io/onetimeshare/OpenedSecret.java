package io.onetimeshare;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An opened secret, whole in memory. The caller owns {@link #content()}; call {@link #wipe()} when done.
 * {@link #toString()} never shows the content or the filename.
 *
 * @since 0.1
 */
public final class OpenedSecret extends Opened {
  private final byte[] content;

  OpenedSecret(SecretKind kind, @Nullable String filename, @Nullable String contentType, byte[] content) {
    super(kind, filename, contentType);
    this.content = content;
  }

  /** The exact bytes that were shared (not a copy). */
  public byte[] content() {
    return content;
  }

  /** The content as UTF-8 text. */
  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }

  public void wipe() {
    Arrays.fill(content, (byte) 0);
  }

  @Override
  public String toString() {
    return "OpenedSecret[kind=" + kind() + ", bytes=" + content.length + "]";
  }
}
