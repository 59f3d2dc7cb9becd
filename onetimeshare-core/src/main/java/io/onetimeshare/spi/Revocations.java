package io.onetimeshare.spi;

import java.time.Instant;

/**
 * Credentials revoked before their expiry (issue 36, finding 8): a sign-in session that signed out stays refused,
 * whatever copy of its cookie comes back, until it would have expired anyway; then the store forgets it. Kept in the
 * store the server keeps its secrets in, so a sign-out reaches every instance sharing it at once. Only an opaque id is
 * stored (the session's random id, never a cookie or a name). Implementations: memory, the file vault's directory,
 * Redis. Thread-safe; a store that cannot be reached throws {@link io.onetimeshare.StoreUnavailableException}, never
 * answers "not revoked".
 *
 * @since 0.3
 */
public interface Revocations {
  /** Records {@code id} (1-64 of {@code A-Z a-z 0-9 _ -}) as revoked until {@code until}. */
  void revoke(String id, Instant until);

  /** Whether {@code id} was revoked and its revocation has not yet run out. */
  boolean isRevoked(String id);

  /** Checks an id's form: 1-64 characters of base64url. */
  static String checkId(String id) {
    if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new io.onetimeshare.InvalidArgumentException("A revocation id is 1-64 characters of A-Z, a-z, 0-9, _, -.");
    }
    return id;
  }
}
