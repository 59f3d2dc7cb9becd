package io.onetimeshare.servlet;

import io.onetimeshare.FileNames;
import org.jspecify.annotations.Nullable;

/** Reduces client-supplied file names to a safe bare name before they are sealed with the secret. */
final class Names {
  private Names() {}

  /** {@link FileNames#safe}: the core's one sanitiser, shared with every client that writes a sender's name. */
  static @Nullable String safeFilename(@Nullable String raw) {
    return FileNames.safe(raw);
  }
}
