package io.onetimeshare.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.split.SplitVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 37: the whole vault contract, unchanged, on the layout a fleet runs: records, claims and events in a real
 * Redis, bodies in a real S3 API (s3proxy); the peer is a second client of both ("another instance"), so the
 * contract's racing opens run across two instances. Then the object store's outage: s3proxy killed while a secret
 * waits gives 503 with nothing delivered and the secret still opens once after it is back; a create while it is down
 * stores nothing.
 */
class SplitVaultOnRedisAndS3Test extends SecretVaultContract {
  static RedisProcess redis;
  static RedisStore store;
  static RedisStore peerStore;
  static S3ProxyProcess s3;
  private String prefix;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    store = RedisStore.connect(redis.uri());
    peerStore = RedisStore.connect(redis.uri());
    s3 = S3ProxyProcess.start("ots-split");
  }

  @AfterAll
  static void stop() throws Exception {
    peerStore.close();
    store.close();
    redis.close();
    s3.close();
  }

  @Override
  protected SecretVault createVault(MutableClock clock) {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    return SplitVault.builder(RedisSecretVault.builder(store).prefix(prefix).clock(clock).build(),
        s3.store("ots-split", prefix + "/")).clock(clock).build();
  }

  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return SplitVault.builder(RedisSecretVault.builder(peerStore).prefix(prefix).clock(clock).build(),
        s3.store("ots-split", prefix + "/")).clock(clock).build();
  }

  @Test
  void theBucketHoldsTheSealedBodyUnderAKeyWithoutTheIdAndNothingOnceOpened() throws Exception {
    String id = newId();
    SecretRecord r = record(id, Duration.ofHours(1), 5);
    byte[] body = body(200_000);
    vault.put(r, out -> out.write(body));
    java.nio.file.Path bucket = s3.data.resolve("ots-split").resolve(prefix);
    try (Stream<java.nio.file.Path> files = Files.walk(bucket)) {
      java.util.List<java.nio.file.Path> all = files.filter(Files::isRegularFile).toList();
      assertEquals(1, all.size(), all.toString());
      assertTrue(!all.get(0).toString().contains(id), "no id in the object's key: " + all.get(0));
      assertArrayEquals(body, Files.readAllBytes(all.get(0)), "the bytes the vault was given (ciphertext) only");
    }
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
      assertEquals(body.length, c.bodyLength());
      assertArrayEquals(body, c.body().readAllBytes());
    }
    if (Files.exists(bucket)) { // s3proxy removes a directory left empty
      try (Stream<java.nio.file.Path> files = Files.walk(bucket)) {
        assertEquals(0, files.filter(Files::isRegularFile).count(), "deleted once opened");
      }
    }
  }

  @Test
  void anObjectStoreOutageDeliversNothingLosesNothingAndStoresNothing() throws Exception {
    String id = newId();
    byte[] body = body(50_000);
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body));
    s3.stop();
    try {
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> vault.claim(id));
      assertEquals(StoreUnavailableException.Effect.NOTHING_DELIVERED, e.effect());
      String other = newId();
      StoreUnavailableException w = assertThrows(StoreUnavailableException.class,
          () -> vault.put(record(other, Duration.ofHours(1), 5), out -> out.write(body(10))));
      assertEquals(StoreUnavailableException.Effect.NOT_STORED, w.effect());
      assertTrue(vault.peek(other).isEmpty(), "no record names a body that was not stored");
    } finally {
      s3.start();
    }
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
      assertArrayEquals(body, c.body().readAllBytes(), "the claim was given back: it opens once, now");
    }
    assertTrue(vault.claim(id).isEmpty(), "and only once");
  }
}
