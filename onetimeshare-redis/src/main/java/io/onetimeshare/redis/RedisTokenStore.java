package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * API tokens on Redis (issue 21): three hashes under one hash tag ({@code {<prefix>:tokens}}), so they live in one
 * slot of a Cluster and every change is one atomic script: {@code :hash} (token hash to name, creation and expiry),
 * {@code :names} (name to hash, taken with HSETNX) and {@code :used} (hash to last use). Only hashes are stored; no
 * expiry is set on the keys (a token's expiry is checked on use, and revoking removes it).
 *
 * @since 0.3
 */
public final class RedisTokenStore implements TokenStore {
  private static final Script ADD = Script.load("token-add.lua");
  private static final Script REVOKE = Script.load("token-revoke.lua");
  private static final Script TOUCH = Script.load("token-touch.lua");
  private final RedisApi api;
  private final byte[] byHash;
  private final byte[] names;
  private final byte[] used;

  private RedisTokenStore(RedisStore store, String prefix) {
    this.api = store.api();
    String tag = "{" + prefix + ":tokens}";
    this.byHash = bytes(tag + ":hash");
    this.names = bytes(tag + ":names");
    this.used = bytes(tag + ":used");
  }

  /** The token store under {@code <prefix>} (the server uses {@code ots}, as for its other keys). */
  public static RedisTokenStore create(RedisStore store, String prefix) {
    Objects.requireNonNull(store, "store");
    if (!Objects.requireNonNull(prefix, "prefix").matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new InvalidArgumentException("A key prefix uses 1-64 of A-Z, a-z, 0-9, '_', '.', ':', '-'.");
    }
    return new RedisTokenStore(store, prefix);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean add(TokenRecord t) {
    String record = t.name() + "\n" + t.createdAt().toEpochMilli() + "\n" + t.expiresAt().toEpochMilli();
    Long r = api.evalConfirmed(ADD, ScriptOutputType.INTEGER,
        io.onetimeshare.StoreUnavailableException.Effect.NOT_STORED, new byte[][] {byHash, names}, bytes(t.name()), bytes(t.hash()),
        bytes(record));
    return r != null && r == 1;
  }

  @Override
  public Optional<TokenRecord> find(String hash) {
    byte[] h = bytes(Objects.requireNonNull(hash, "hash"));
    byte[] record = api.call(c -> c.hget(byHash, h));
    if (record == null) {
      return Optional.empty();
    }
    byte[] last = api.call(c -> c.hget(used, h));
    return parse(hash, record, last);
  }

  private static Optional<TokenRecord> parse(String hash, byte[] record, byte @org.jspecify.annotations.Nullable [] last) {
    try {
      String[] f = new String(record, StandardCharsets.UTF_8).split("\n");
      Instant lastUsed = last == null ? null
          : Instant.ofEpochMilli(Long.parseLong(new String(last, StandardCharsets.US_ASCII)));
      return Optional.of(new TokenRecord(f[0], hash, Instant.ofEpochMilli(Long.parseLong(f[1])),
          Instant.ofEpochMilli(Long.parseLong(f[2])), lastUsed));
    } catch (RuntimeException e) {
      return Optional.empty(); // a damaged entry is no token
    }
  }

  @Override
  public List<TokenRecord> list() {
    Map<byte[], byte[]> all = api.call(c -> c.hgetall(byHash));
    Map<byte[], byte[]> last = api.call(c -> c.hgetall(used));
    Map<String, byte[]> lastByHash = new java.util.HashMap<>();
    last.forEach((k, v) -> lastByHash.put(new String(k, StandardCharsets.US_ASCII), v));
    List<TokenRecord> out = new ArrayList<>();
    all.forEach((k, v) -> {
      String hash = new String(k, StandardCharsets.US_ASCII);
      parse(hash, v, lastByHash.get(hash)).ifPresent(out::add);
    });
    out.sort(Comparator.comparing(TokenRecord::name));
    return out;
  }

  @Override
  public boolean revoke(String name) {
    // a revocation lost in a failover would let a revoked token create again
    Long r = api.evalConfirmed(REVOKE, ScriptOutputType.INTEGER,
        io.onetimeshare.StoreUnavailableException.Effect.NOT_CONFIRMED, new byte[][] {byHash, names, used},
        bytes(Objects.requireNonNull(name, "name")));
    return r != null && r == 1;
  }

  @Override
  public void touch(String hash, Instant when) {
    api.eval(TOUCH, ScriptOutputType.INTEGER, new byte[][] {byHash, used}, bytes(hash),
        bytes(Long.toString(when.toEpochMilli())));
  }
}
