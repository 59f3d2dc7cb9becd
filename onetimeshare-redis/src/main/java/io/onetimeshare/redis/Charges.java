package io.onetimeshare.redis;

import io.lettuce.core.RedisFuture;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.spi.Charge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rate budgets charged with the operation they guard (issue 25). On a single node, budgets of a
 * {@link RedisRateLimiter} on the same Redis are folded into the operation's script ({@code charged.lua}): one round
 * trip for both. Elsewhere (a Cluster, whose budget and secret keys hash to different slots, or another limiter) the
 * budgets are sent together and awaited once, just before the operation. A {@link
 * io.onetimeshare.spi.FallbackRateLimiter} around a Redis limiter (the standalone server's default, {@code
 * --rate-fallback 30s}) is charged the same way, through its primary, and told how it went (issue 35: the default
 * configuration takes the one-round-trip path too).
 */
final class Charges {
  private Charges() {}

  /** Budgets folded into one script: their buckets (extra KEYS) and arguments (extra ARGV, the count last). */
  record Folded(Charge.Batch batch, List<RedisRateLimiter> limiters, byte[][] keys, byte[][] args) {
    byte[][] keysAfter(byte[]... own) {
      return concat(own, keys);
    }

    byte[][] argsAfter(byte[]... own) {
      return concat(own, args);
    }

    /** Gives each charge its decision from {@code charged.lua}'s answer; a refusing charge throws. */
    void settle(Object decisions) {
      List<?> all = (List<?>) decisions;
      List<Charge> charges = batch.charges();
      for (int i = 0; i < charges.size(); i++) {
        if (charges.get(i).limiter() instanceof io.onetimeshare.spi.FallbackRateLimiter f) {
          f.primaryAnswered();
        }
        charges.get(i).onDecision().accept(limiters.get(i).decode((List<?>) all.get(i)));
      }
    }
  }

  private static byte[][] concat(byte[][] a, byte[][] b) {
    byte[][] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The batch as a script's extra keys and arguments, or null when it cannot be folded here (empty, a Cluster,
   * another store's or kind of limiter). A charge larger than its whole burst is refused at once.
   */
  static @Nullable Folded fold(Charge.Batch batch, RedisApi api, boolean cluster) {
    if (batch.isEmpty() || cluster) {
      return null;
    }
    List<RedisRateLimiter> limiters = new ArrayList<>();
    for (Charge c : batch.charges()) {
      RedisRateLimiter r = redisOf(c.limiter());
      if (r == null || !r.sameStore(api)) {
        return null;
      }
      if (c.permits() > r.limit().permits()) {
        if (batch.take()) {
          c.onDecision().accept(r.overBurst()); // throws: refused before anything
        }
        return null;
      }
      limiters.add(r);
    }
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < limiters.size(); i++) {
      Charge c = batch.charges().get(i);
      keys.add(limiters.get(i).bucket(c.key()));
      args.addAll(List.of(limiters.get(i).args(c.permits())));
    }
    args.add(Integer.toString(limiters.size()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new Folded(batch, limiters, keys.toArray(byte[][]::new), args.toArray(byte[][]::new));
  }

  /** The Redis limiter that decides for {@code l}: itself, or a fallback limiter's primary. */
  static @Nullable RedisRateLimiter redisOf(io.onetimeshare.spi.RateLimiter l) {
    if (l instanceof RedisRateLimiter r) {
      return r;
    }
    return l instanceof io.onetimeshare.spi.FallbackRateLimiter f && f.primary() instanceof RedisRateLimiter r
        ? r : null;
  }

  /**
   * Applies the batch now, if nobody has: Redis limiters' scripts are sent together and awaited once (one round
   * trip however many budgets), any other limiter is asked in turn.
   */
  static void applyTogether(Charge.Batch batch) {
    if (batch.take()) {
      receive(batch, send(batch));
    }
  }

  /** Sends each Redis budget's script without waiting (null for a charge asked in turn at {@link #receive}). */
  static List<@Nullable RedisFuture<List<Object>>> send(Charge.Batch batch) {
    List<@Nullable RedisFuture<List<Object>>> sent = new ArrayList<>();
    for (Charge c : batch.charges()) {
      RedisRateLimiter r = redisOf(c.limiter());
      RedisFuture<List<Object>> f = null;
      if (r != null && c.permits() <= r.limit().permits()) {
        try {
          f = r.send(c.key(), c.permits());
        } catch (io.onetimeshare.StoreUnavailableException e) {
          f = null; // asked in turn at receive, where a fallback limiter decides
        }
      }
      sent.add(f);
    }
    return sent;
  }

  /** Each charge's decision, in order; a refusing charge throws. */
  static void receive(Charge.Batch batch, List<@Nullable RedisFuture<List<Object>>> sent) {
    List<Charge> charges = batch.charges();
    for (int i = 0; i < charges.size(); i++) {
      Charge c = charges.get(i);
      RedisFuture<List<Object>> f = sent.get(i);
      RedisRateLimiter r = redisOf(c.limiter());
      io.onetimeshare.spi.RateDecision d;
      if (f == null || r == null) {
        d = c.limiter().tryAcquire(c.key(), c.permits());
      } else if (c.limiter() instanceof io.onetimeshare.spi.FallbackRateLimiter fb) {
        try {
          d = r.receive(f, c.key(), c.permits());
          fb.primaryAnswered();
        } catch (io.onetimeshare.StoreUnavailableException e) {
          d = fb.primaryFailed(c.key(), c.permits(), e);
        }
      } else {
        d = r.receive(f, c.key(), c.permits());
      }
      c.onDecision().accept(d);
    }
  }
}
