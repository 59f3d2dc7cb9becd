package io.onetimeshare.spi;

import io.onetimeshare.SecretKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Who created what, for the operator's audit trail (issue 21), reported through {@link ShareEvents#createdBy}: never a
 * key, a token or the id itself.
 *
 * @param creator who created it, as the HTTP layer named them: {@code token:<name>}, {@code user:<name>},
 *     {@code principal:<name>} or {@code anonymous}
 * @param idDigest the first 12 hex digits of SHA-256 of the id: enough to match a later event or complaint to this
 *     line, not enough to open or even find the secret
 * @param kind text or file
 * @param bytes the content's size, or -1 for an upload just begun (its size is known when it finishes)
 * @param ttl how long it may wait unopened
 * @param at when
 * @since 0.3
 */
public record Creation(String creator, String idDigest, SecretKind kind, long bytes, Duration ttl, Instant at) {
  public Creation {
    Objects.requireNonNull(creator, "creator");
    Objects.requireNonNull(idDigest, "idDigest");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(at, "at");
  }
}
