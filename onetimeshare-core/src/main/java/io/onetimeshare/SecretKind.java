package io.onetimeshare;

/**
 * Whether a secret is a text (shown to the receiver) or a file (downloaded).
 *
 * @since 0.1
 */
public enum SecretKind {
  TEXT,
  FILE
}
