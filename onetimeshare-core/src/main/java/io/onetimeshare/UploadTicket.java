package io.onetimeshare;

import java.time.Instant;
import java.util.Objects;

/**
 * What a client gets when it starts an upload: the id to seal under (it is part of the envelope's associated data),
 * the expiry, and the deletion token, which also authorises the upload's segments and finish, and reads receipts.
 * {@link #toString()} hides the token.
 *
 * @param id the secret id
 * @param expiresAt when the finished secret expires
 * @param deleteToken 43 base64url characters
 * @param segmentSize the plaintext bytes per segment the envelope must use
 * @param notifySecret the signing secret of the callback named when it began ({@code whsec_...}), or null
 * @since 0.2
 */
public record UploadTicket(String id, Instant expiresAt, String deleteToken, int segmentSize,
    @org.jspecify.annotations.Nullable String notifySecret) {

  public UploadTicket(String id, Instant expiresAt, String deleteToken, int segmentSize) {
    this(id, expiresAt, deleteToken, segmentSize, null);
  }

  public UploadTicket {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(deleteToken, "deleteToken");
  }

  @Override
  public String toString() {
    return "UploadTicket[id=" + id + ", expiresAt=" + expiresAt + ", deleteToken=***, segmentSize=" + segmentSize
        + ", notifySecret=" + (notifySecret == null ? "none" : "***") + "]";
  }
}
