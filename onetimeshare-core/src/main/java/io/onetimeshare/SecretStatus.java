package io.onetimeshare;

import io.onetimeshare.spi.SecretState;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A receipt's answer: what became of a secret, told only to the holder of its deletion token.
 *
 * @param id the secret id
 * @param state waiting, opened, expired, deleted or burned
 * @param at when it was opened, deleted or burned (for expired: its expiry); null while waiting
 * @param expiresAt the secret's original expiry
 * @since 0.2
 */
public record SecretStatus(String id, SecretState state, @Nullable Instant at, Instant expiresAt) {
  public SecretStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
