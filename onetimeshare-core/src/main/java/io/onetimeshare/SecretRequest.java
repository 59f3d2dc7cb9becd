package io.onetimeshare;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the asker gets when a secret request is made (issue 23): the id (the answer becomes the secret of this id),
 * the expiry, and the owner token (the request's receipt and deletion; it does not open the answer: the private key
 * does). {@link #toString()} hides the token.
 *
 * @param id the request's id
 * @param expiresAt when it expires, answered or not
 * @param ownerToken 43 base64url characters
 * @param notifySecret the signing secret ({@code whsec_...}) of the asker's callback, when the request named one;
 *     given only here
 * @param answerToken 43 base64url characters that the fill link's fragment carries (issue 36, finding 1): answering
 *     needs it ({@link OneTimeShare#answerRequest(String, String, int)}), so the id alone, which every link's path
 *     shows, answers nothing. Given only here; the vault keeps its SHA-256
 * @since 0.3
 */
public record SecretRequest(String id, Instant expiresAt, String ownerToken, @Nullable String notifySecret,
    String answerToken) {
  public SecretRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(ownerToken, "ownerToken");
    Objects.requireNonNull(answerToken, "answerToken");
  }

  @Override
  public String toString() {
    return "SecretRequest[id=" + id + ", expiresAt=" + expiresAt + ", ownerToken=***, answerToken=***"
        + (notifySecret == null ? "" : ", notifySecret=***") + "]";
  }

  /**
   * What anyone with the request's id may learn, to answer it: the public key to seal to (its fingerprint in the fill
   * link tells whether the server swapped it), the expiry, and whether an answer began.
   *
   * @param id the request's id
   * @param publicKey the asker's X25519 public key
   * @param expiresAt its expiry
   * @param answeredAt when the one answer began, or null
   */
  public record Open(String id, byte[] publicKey, Instant expiresAt, @Nullable Instant answeredAt) {
    public Open {
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }
  }

  /** A request's state for its asker: waiting, answered (the answer waits), opened, expired, or deleted. */
  public enum State {
    WAITING, ANSWERED, OPENED, EXPIRED, DELETED
  }
}
