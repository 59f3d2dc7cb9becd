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
public final class OpenedSecret {
  private final SecretKind kind;
  private final @Nullable String filename;
  private final @Nullable String contentType;
  private final byte[] content;

  OpenedSecret(SecretKind kind, @Nullable String filename, @Nullable String contentType, byte[] content) {
    this.kind = kind;
    this.filename = filename;
    this.contentType = contentType;
    this.content = content;
  }

  public SecretKind kind() {
    return kind;
  }

  public @Nullable String filename() {
    return filename;
  }

  public @Nullable String contentType() {
    return contentType;
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
    return "OpenedSecret[kind=" + kind + ", bytes=" + content.length + "]";
  }
}
