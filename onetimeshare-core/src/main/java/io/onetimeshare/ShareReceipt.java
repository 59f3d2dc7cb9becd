package io.onetimeshare;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the sender gets back: the id, the expiry, the deletion token and, for random-key secrets, the key. The key is
 * not kept anywhere else: lose it and the secret cannot be opened. {@link #toString()} hides the key and the token.
 *
 * @param id the secret id
 * @param expiresAt when the secret expires unopened
 * @param deleteToken a token that deletes the secret early
 * @param key the 256-bit key as 43 base64url characters, or null for passphrase secrets
 * @param notifySecret the signing secret of the callback named in the options ({@code whsec_...}), or null
 * @since 0.1
 */
public record ShareReceipt(String id, Instant expiresAt, String deleteToken, @Nullable String key,
    @Nullable String notifySecret) {

  public ShareReceipt(String id, Instant expiresAt, String deleteToken, @Nullable String key) {
    this(id, expiresAt, deleteToken, key, null);
  }

  public ShareReceipt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(deleteToken, "deleteToken");
  }

  /** The key, present only when the secret was sealed without a passphrase. */
  public Optional<String> keyIfRandom() {
    return Optional.ofNullable(key);
  }

  public boolean passphraseRequired() {
    return key == null;
  }

  @Override
  public String toString() {
    return "ShareReceipt[id=" + id + ", expiresAt=" + expiresAt + ", deleteToken=***, key="
        + (key == null ? "none" : "***") + ", notifySecret=" + (notifySecret == null ? "none" : "***") + "]";
  }
}
