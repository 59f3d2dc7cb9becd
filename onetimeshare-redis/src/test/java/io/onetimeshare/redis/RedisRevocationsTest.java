package io.onetimeshare.redis;

import io.onetimeshare.spi.Revocations;
import io.onetimeshare.testing.RevocationsContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The revocations contract on a real redis-server; the peer is a second connection (another instance). */
class RedisRevocationsTest extends RevocationsContract {
  static RedisProcess redis;
  static RedisStore a;
  static RedisStore b;
  private final Map<Revocations, String> prefixes = new IdentityHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    a = RedisStore.connect(redis.uri());
    b = RedisStore.connect(redis.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
  }

  @Override
  protected Revocations create() {
    String prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
    Revocations r = RedisRevocations.create(a, prefix);
    prefixes.put(r, prefix);
    return r;
  }

  @Override
  protected Revocations peer(Revocations first) {
    return RedisRevocations.create(b, prefixes.get(first));
  }
}
