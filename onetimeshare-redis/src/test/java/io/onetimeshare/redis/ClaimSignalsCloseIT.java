package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, finding 1: closing the store while Lettuce's event loop is delivering a pub/sub callback must not
 * deadlock. The test holds the event loop inside a {@code subscribed} callback until the closer has entered
 * {@link ClaimSignals#close()}; the store's own listener runs right after on the same thread. Before the fix,
 * close() held the monitor that listener needs while it waited for the event loop: both waited forever.
 */
class ClaimSignalsCloseIT {

  @Test
  void closeNeverWaitsForTheEventLoopWhileHoldingALockItsListenerTakes() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no")) {
      RedisClient client = RedisClient.create(redis.uri());
      ExecutorService watcher = Executors.newSingleThreadExecutor();
      try {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        ClaimSignals signals = new ClaimSignals(() -> {
          StatefulRedisPubSubConnection<byte[], byte[]> c = client.connectPubSub(ByteArrayCodec.INSTANCE);
          c.addListener(new RedisPubSubAdapter<>() { // runs before the store's own listener, on the event loop
            @Override
            public void subscribed(byte[] channel, long count) {
              inCallback.countDown();
              try {
                if (closing.await(10, TimeUnit.SECONDS)) {
                  Thread.sleep(300); // the closer is inside close() by now, waiting for this thread
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
          return c;
        });
        StatefulRedisConnection<byte[], byte[]> commands = client.connect(ByteArrayCodec.INSTANCE);
        RedisApi api = new RedisApi(commands.async(), Duration.ofSeconds(5));
        byte[] name = "ots-test:w".getBytes(StandardCharsets.UTF_8);
        var unused = watcher.submit(() -> {
          try (ClaimSignals.Watch w = signals.watch(name, api)) {
            w.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
          } catch (StoreUnavailableException e) {
            // the store was closed under the watch: expected
          }
        });
        assertTrue(inCallback.await(10, TimeUnit.SECONDS), "the SUBSCRIBE was never confirmed");
        closing.countDown();
        assertTimeoutPreemptively(Duration.ofSeconds(15), signals::close,
            "ClaimSignals.close() deadlocked with Lettuce's event loop");
        commands.close();
      } finally {
        watcher.shutdownNow();
        var unused = client.shutdownAsync(0, 2, TimeUnit.SECONDS); // never wait here: a failed test may be stuck
      }
    }
  }
}
