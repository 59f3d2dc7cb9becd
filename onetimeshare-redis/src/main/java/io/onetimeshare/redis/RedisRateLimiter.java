package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RateLimiter} on Redis: GCRA in one Lua script on the server's clock, so any number of instances sharing
 * the Redis together admit no more than the limit. Each key is one string with an expiry, so idle clients cost
 * nothing once their bucket is full again.
 *
 * @since 0.1
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Script GCRA = Script.load("gcra.lua");
  private final RedisApi api;
  private final RateLimit limit;
  private final String prefix;
  private final byte[] interval;
  private final byte[] period;

  private RedisRateLimiter(RedisStore store, RateLimit limit, String prefix) {
    this.api = store.api();
    this.limit = limit;
    this.prefix = prefix;
    long periodMicros = limit.period().toNanos() / 1000;
    this.period = Long.toString(periodMicros).getBytes(StandardCharsets.US_ASCII);
    this.interval = Long.toString(Math.max(1, periodMicros / limit.permits())).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A limiter enforcing {@code limit}, keeping its buckets under {@code <prefix>:rl:<name>:<key>}; give each limiter
   * (create, open) its own name.
   */
  public static RedisRateLimiter create(RedisStore store, RateLimit limit, String prefix, String name) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(limit, "limit");
    if (!(prefix + name).matches("[A-Za-z0-9_.:-]{1,96}")) {
      throw new InvalidArgumentException("Limiter prefix and name use A-Z, a-z, 0-9, '_', '.', ':', '-'.");
    }
    return new RedisRateLimiter(store, limit, prefix + ":rl:" + name + ":");
  }

  @Override
  public RateDecision tryAcquire(String key, long permits) {
    Objects.requireNonNull(key, "key");
    if (permits < 1) {
      throw new InvalidArgumentException("permits must be at least 1");
    }
    if (permits > limit.permits()) {
      return overBurst(); // more than a burst
    }
    byte[] k = (prefix + key).getBytes(StandardCharsets.UTF_8);
    List<Long> r = api.eval(GCRA, ScriptOutputType.MULTI, new byte[][] {k}, interval, period,
        Long.toString(permits).getBytes(StandardCharsets.US_ASCII));
    boolean allowed = r.get(0) == 1;
    return new RateDecision(allowed, limit.permits(), Math.max(0, r.get(1)),
        Duration.ofNanos(Math.max(0, r.get(2)) * 1000), Duration.ofNanos(Math.max(0, r.get(3)) * 1000));
  }

  /** Sends the charge of {@code permits} to {@code key} without waiting (null if it could not be sent). */
  io.lettuce.core.@org.jspecify.annotations.Nullable RedisFuture<List<Object>> send(String key, long permits) {
    byte[] k = bucket(key);
    byte[] n = Long.toString(permits).getBytes(StandardCharsets.US_ASCII);
    try {
      return api.issue(c -> c.<List<Object>>evalsha(GCRA.sha(), ScriptOutputType.MULTI, new byte[][] {k}, interval,
          period, n));
    } catch (io.onetimeshare.StoreUnavailableException e) {
      return null;
    }
  }

  /** The decision {@link #send} asked for; a script Redis does not know yet (NOSCRIPT) is run again by EVAL. */
  RateDecision receive(io.lettuce.core.RedisFuture<List<Object>> sent, String key, long permits) {
    try {
      return decode(api.await(sent));
    } catch (io.onetimeshare.StoreUnavailableException e) {
      if (e.getCause() instanceof io.lettuce.core.RedisNoScriptException) {
        return tryAcquire(key, permits);
      }
      throw e;
    }
  }

  /** Whether this limiter's buckets live on the Redis that {@code other} talks to (so a script can charge them). */
  boolean sameStore(RedisApi other) {
    return api == other;
  }

  /** The bucket of {@code key}, for a script that charges it (charged.lua). */
  byte[] bucket(String key) {
    return (prefix + key).getBytes(StandardCharsets.UTF_8);
  }

  /** charged.lua's per-bucket arguments: interval, period, permits. */
  byte[][] args(long permits) {
    return new byte[][] {interval, period, Long.toString(permits).getBytes(StandardCharsets.US_ASCII)};
  }

  /** A decision as GCRA answers it: {allowed, remaining, retry after us, reset after us}. */
  RateDecision decode(List<?> r) {
    boolean allowed = ((Number) r.get(0)).longValue() == 1;
    return new RateDecision(allowed, limit.permits(), Math.max(0, ((Number) r.get(1)).longValue()),
        Duration.ofNanos(Math.max(0, ((Number) r.get(2)).longValue()) * 1000),
        Duration.ofNanos(Math.max(0, ((Number) r.get(3)).longValue()) * 1000));
  }

  /** The refusal of a charge larger than the whole burst (no script can admit it). */
  RateDecision overBurst() {
    return new RateDecision(false, limit.permits(), 0, limit.period(), limit.period());
  }

  @Override
  public RateLimit limit() {
    return limit;
  }
}
