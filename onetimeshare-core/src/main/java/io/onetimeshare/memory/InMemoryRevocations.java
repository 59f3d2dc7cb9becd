package io.onetimeshare.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.onetimeshare.spi.Revocations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Revocations in this process's memory (one instance; lost on restart, like the memory vault's secrets): a Caffeine
 * cache whose entries expire when their revocation runs out, at most {@code maxEntries} of them (the oldest go first;
 * the default of a million is far above any real rate of sign-outs).
 *
 * @since 0.3
 */
public final class InMemoryRevocations implements Revocations {
  private final Cache<String, Instant> revoked;
  private final Clock clock;

  private InMemoryRevocations(Clock clock, long maxEntries) {
    this.clock = clock;
    this.revoked = Caffeine.newBuilder().maximumSize(maxEntries).ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(Expiry.creating((String id, Instant until) -> {
          Duration left = Duration.between(clock.instant(), until);
          return left.isNegative() ? Duration.ZERO : left;
        })).build();
  }

  public static InMemoryRevocations create() {
    return new InMemoryRevocations(Clock.systemUTC(), 1_000_000);
  }

  public static InMemoryRevocations create(Clock clock, long maxEntries) {
    return new InMemoryRevocations(Objects.requireNonNull(clock, "clock"), maxEntries);
  }

  @Override
  public void revoke(String id, Instant until) {
    Revocations.checkId(id);
    if (until.isAfter(clock.instant())) {
      revoked.asMap().merge(id, until, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  @Override
  public boolean isRevoked(String id) {
    Instant until = revoked.getIfPresent(Revocations.checkId(id));
    return until != null && until.isAfter(clock.instant());
  }
}
