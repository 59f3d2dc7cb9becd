package io.onetimeshare.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.RequestRecord;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.RequestStore.Answering;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The memory vault's secret requests (issue 23): a Caffeine cache, each request charged to the vault's budget. */
final class MemoryRequests {
  /** What a request holds of the budget. */
  static final int CHARGE = 256;

  private final Cache<String, RequestRecord> cache;
  private final Clock clock;
  private final LongConsumer take;

  MemoryRequests(Clock clock, Ticker ticker, AtomicLong used, LongConsumer take) {
    this.clock = clock;
    this.take = take;
    this.cache = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).scheduler(Scheduler.systemScheduler())
        .<String, RequestRecord>expireAfter(Expiry.creating((String k, RequestRecord r) -> {
          Duration d = Duration.between(clock.instant(), r.expiresAt().plus(SecretTrace.RETENTION));
          return d.isNegative() ? Duration.ZERO : d;
        }))
        .removalListener((@Nullable String k, @Nullable RequestRecord r, RemovalCause cause) -> {
          if (r != null && cause != RemovalCause.REPLACED) {
            used.addAndGet(-CHARGE);
          }
        })
        .build();
  }

  void put(RequestRecord r, Predicate<String> idTaken) {
    if (idTaken.test(r.id())) {
      throw new IllegalStateException("id collision");
    }
    take.accept(CHARGE);
    if (cache.asMap().putIfAbsent(r.id(), r) != null) {
      take.accept(-CHARGE);
      throw new IllegalStateException("id collision");
    }
  }

  Optional<RequestRecord> get(String id) {
    RequestRecord r = cache.getIfPresent(id);
    if (r == null || !clock.instant().isBefore(r.expiresAt().plus(SecretTrace.RETENTION))) {
      return Optional.empty();
    }
    return Optional.of(r);
  }

  /**
   * Marks the request answered and begins the upload in one step under the request's key lock. An answer that began
   * and left nothing (its upload dropped idle or aborted, never stored: {@code answerLives} is false) no longer holds
   * the request.
   */
  Answering beginAnswer(PendingUpload u, Consumer<PendingUpload> begin, Predicate<String> answerLives) {
    Answering[] out = {Answering.NO_REQUEST};
    cache.asMap().computeIfPresent(u.id(), (k, r) -> {
      Instant now = clock.instant();
      if (r.isExpiredAt(now)) {
        return r;
      }
      if (r.answeredAt() != null && answerLives.test(k)) {
        out[0] = Answering.ALREADY_ANSWERED;
        return r;
      }
      try {
        begin.accept(u);
      } catch (IllegalStateException collision) { // a secret or upload holds the id already
        out[0] = Answering.ALREADY_ANSWERED;
        return r;
      }
      out[0] = Answering.STARTED;
      return r.answered(now);
    });
    return out[0];
  }

  boolean delete(String id) {
    return cache.asMap().remove(id) != null;
  }
}
