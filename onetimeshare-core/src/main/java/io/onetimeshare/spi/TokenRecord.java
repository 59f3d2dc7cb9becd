package io.onetimeshare.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One API token as a {@link TokenStore} keeps it: never the token, only its hash (issue 21).
 *
 * @param name the operator's name for it (1-64 of A-Z, a-z, 0-9, '.', '_', '-'), unique in the store
 * @param hash base64url (no padding) of SHA-256 of the token's text: the key it is found by
 * @param createdAt when it was issued
 * @param expiresAt after this it is refused
 * @param lastUsedAt when it was last accepted (kept to about a minute), or null if never
 * @since 0.3
 */
public record TokenRecord(String name, String hash, Instant createdAt, Instant expiresAt,
    @Nullable Instant lastUsedAt) {
  /** Names an operator may give a token: they appear in logs and metric labels, so nothing else. */
  public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public TokenRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a token name is 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
    }
    if (!hash.matches("[A-Za-z0-9_-]{43}")) {
      throw new IllegalArgumentException("a token hash is 43 base64url characters (SHA-256)");
    }
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    lastUsedAt = lastUsedAt == null ? null : lastUsedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Whether the token is refused at {@code now} because it has expired. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** The same record, last used at {@code when}. */
  public TokenRecord usedAt(Instant when) {
    return new TokenRecord(name, hash, createdAt, expiresAt, when);
  }
}
