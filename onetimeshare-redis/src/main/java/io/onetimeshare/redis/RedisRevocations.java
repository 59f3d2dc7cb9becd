package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import io.onetimeshare.spi.Revocations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Revocations on Redis (single node, Sentinel or Cluster): one key per id, {@code <prefix>:revoked:<id>}, that expires
 * when its revocation runs out. A revocation returns once the replicas the store is configured to wait for have it
 * (as a token's revocation does): one lost in a failover would let a signed-out session create again.
 *
 * @since 0.3
 */
public final class RedisRevocations implements Revocations {
  private static final Script REVOKE = Script.load("revoke.lua");
  private final RedisApi api;
  private final String prefix;
  private final Clock clock;

  private RedisRevocations(RedisStore store, String prefix, Clock clock) {
    this.api = store.api();
    this.prefix = prefix;
    this.clock = clock;
  }

  /** The revocations under {@code <prefix>} (the server uses {@code ots}, as for its other keys). */
  public static RedisRevocations create(RedisStore store, String prefix) {
    Objects.requireNonNull(store, "store");
    if (!Objects.requireNonNull(prefix, "prefix").matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new InvalidArgumentException("A key prefix uses 1-64 of A-Z, a-z, 0-9, '_', '.', ':', '-'.");
    }
    return new RedisRevocations(store, prefix, Clock.systemUTC());
  }

  private byte[] key(String id) {
    return (prefix + ":revoked:" + Revocations.checkId(id)).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void revoke(String id, Instant until) {
    byte[] k = key(id);
    if (!until.isAfter(clock.instant())) {
      return; // run out already: nothing to refuse
    }
    api.evalConfirmed(REVOKE, ScriptOutputType.INTEGER, StoreUnavailableException.Effect.NOT_CONFIRMED,
        new byte[][] {k}, Long.toString(until.toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public boolean isRevoked(String id) {
    byte[] k = key(id);
    Long n = api.call(c -> c.exists(k));
    return n != null && n > 0;
  }
}
