package io.onetimeshare;

import org.jspecify.annotations.Nullable;

/** What every opened secret tells besides its content: its kind, and the filename and type it was shared with. */
abstract sealed class Opened permits OpenedSecret, OpenedStream {
  private final SecretKind kind;
  private final @Nullable String filename;
  private final @Nullable String contentType;

  Opened(SecretKind kind, @Nullable String filename, @Nullable String contentType) {
    this.kind = kind;
    this.filename = filename;
    this.contentType = contentType;
  }

  /** Text or file. */
  public SecretKind kind() {
    return kind;
  }

  /** The filename it was shared with (a bare name), or null. */
  public @Nullable String filename() {
    return filename;
  }

  /** The content type it was shared with, or null. Never use it to render the content: treat files as bytes. */
  public @Nullable String contentType() {
    return contentType;
  }
}
