package io.onetimeshare.redis;

import io.onetimeshare.spi.TokenStore;
import io.onetimeshare.testing.TokenStoreContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The token store contract on a real redis-server; the peer is a second connection (another instance). */
class RedisTokenStoreTest extends TokenStoreContract {
  static RedisProcess redis;
  static RedisStore a;
  static RedisStore b;
  private final Map<TokenStore, String> prefixes = new IdentityHashMap<>();

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
  protected TokenStore createStore() {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    TokenStore s = RedisTokenStore.create(a, prefix);
    prefixes.put(s, prefix);
    return s;
  }

  @Override
  protected TokenStore peer(TokenStore first) {
    return RedisTokenStore.create(b, prefixes.get(first));
  }
}
