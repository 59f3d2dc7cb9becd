package io.onetimeshare.redis;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.testing.BodyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Issue 37: the body store contract on Redis chunks, against a real redis-server. */
class RedisBodyStoreTest extends BodyStoreContract {
  static RedisProcess redis;
  static RedisStore store;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    store = RedisStore.connect(redis.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    redis.close();
  }

  @Override
  protected BodyStore createStore() {
    return RedisBodyStore.create(store, "ots-bodies");
  }
}
