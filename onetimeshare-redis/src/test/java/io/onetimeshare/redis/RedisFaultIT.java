package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.Credential;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OpenedStream;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real redis-server processes killed and restarted under the vault. */
class RedisFaultIT {
  private static final SecureRandom RANDOM = new SecureRandom();

  static String id() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static SecretRecord record(String id, Duration ttl) {
    return new SecretRecord(id, Instant.now().plus(ttl), new byte[57], new byte[32], 5);
  }

  static <T> T eventually(java.util.function.Supplier<T> s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return s.get();
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void outageFailsFastAsUnavailableThenRecoversWithoutRestartAndAofKeepsSecrets() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(500))) {
      SecretVault vault = RedisSecretVault.builder(store).build();
      String kept = id();
      byte[] body = new byte[200_000];
      RANDOM.nextBytes(body);
      vault.put(record(kept, Duration.ofHours(1)), out -> out.write(body));

      redis.kill();
      String other = id();
      for (Runnable call : List.<Runnable>of(() -> vault.peek(kept), () -> vault.claim(kept),
          () -> vault.reserveAttempt(kept), () -> vault.delete(kept),
          () -> {
            try {
              vault.put(record(other, Duration.ofHours(1)), out -> out.write(1));
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          })) {
        long t0 = System.nanoTime();
        assertThrows(StoreUnavailableException.class, call::run, "never a wrong 'not found'");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 2_500, "failed within the timeout, took " + ms + " ms");
      }

      redis.start(); // same port, same directory: the AOF is replayed
      Optional<SecretRecord> back = eventually(() -> vault.peek(kept));
      assertTrue(back.isPresent(), "an acknowledged secret survives a SIGKILL with appendonly yes");
      try (SecretVault.ClaimedSecret c = vault.claim(kept).orElseThrow(); InputStream in = c.body()) {
        assertArrayEquals(body, in.readAllBytes());
      }
      assertTrue(vault.peek(other).isEmpty(), "the failed put left nothing behind");
    }
  }

  @Test
  void failureInTheMiddleOfAnOpenNeverDeliversTwice() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(500))) {
      RedisSecretVault vault = RedisSecretVault.builder(store).chunkSize(64 * 1024).inlineLimit(1024).build();
      OneTimeShare ots = OneTimeShare.builder().vault(vault).build();
      byte[] content = new byte[3 * 1024 * 1024];
      RANDOM.nextBytes(content);
      ShareReceipt r = ots.share(content, ShareOptions.defaults());
      OpenedStream s = ots.openStream(r.id(), Credential.key(r.key()));
      s.content().readNBytes(100_000);
      redis.kill();
      assertThrows(RuntimeException.class, () -> s.content().readAllBytes());
      redis.start();
      eventually(() -> vault.peek(r.id()));
      assertThrows(io.onetimeshare.SecretNotFoundException.class,
          () -> ots.open(r.id(), Credential.key(r.key())), "the claim happened before the outage: no second delivery");
    }
  }

  @Test
  void aClaimWhoseAnswerIsLostGivesTheSecretBackInsteadOfLosingIt() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(300))) {
      SecretVault vault = RedisSecretVault.builder(store).build();
      String id = id();
      byte[] body = new byte[4096];
      RANDOM.nextBytes(body);
      vault.put(record(id, Duration.ofHours(1)), out -> out.write(body));
      assertTrue(vault.claim(id()).isEmpty()); // Redis now has the claim script cached, so EVALSHA runs it

      // Redis holds every command for 1.5 s: our claim times out on the client, then runs on the server when the
      // pause ends, and its answer goes nowhere. That is a claim that ran without its claimer ever seeing it.
      assertTrue(redis.command("CLIENT PAUSE 1500 ALL").startsWith("+OK"));
      long t0 = System.nanoTime();
      assertThrows(StoreUnavailableException.class, () -> vault.claim(id), "never a wrong 'not found'");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1_000, "failed within the timeout");

      Optional<SecretVault.ClaimedSecret> got = eventually(() -> vault.claim(id));
      assertTrue(got.isPresent(), "the claimer gave back what it never saw");
      try (SecretVault.ClaimedSecret c = got.get(); InputStream in = c.body()) {
        assertArrayEquals(body, in.readAllBytes());
      }
      assertTrue(vault.claim(id).isEmpty(), "and it is delivered once");
      assertEquals(":0", redis.command("EXISTS ots:{" + id + "}").trim(), "the delivered head is deleted");
    }
  }

  @Test
  void aFailedCleanUpAfterADeliveryIsRetriedSoOthersGetNotFoundAtOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(500))) {
      SecretVault vault = RedisSecretVault.builder(store).build();
      String id = id();
      vault.put(record(id, Duration.ofHours(1)), out -> out.write(new byte[100]));
      // Redis forgets its scripts: the claim falls back to EVAL, the unawaited clean-up fails with NOSCRIPT
      assertTrue(redis.command("SCRIPT FLUSH").startsWith("+OK"));
      try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
        assertEquals(100, c.body().readAllBytes().length);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (redis.command("EXISTS ots:{" + id + "}").trim().equals(":1") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long t0 = System.nanoTime();
      assertTrue(vault.claim(id).isEmpty(), "the clean-up was retried: not found, not 'being opened'");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 400, "at once, without waiting");
    }
  }

  @Test
  void aClaimerThatDiesHoldingAClaimMakesOthersWaitThenTheSecretCountsAsOpened() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(300));
         RedisStore dying = RedisStore.connect(redis.uri(), Duration.ofMillis(300))) {
      SecretVault vault = RedisSecretVault.builder(store).claimLease(Duration.ofSeconds(2)).build();
      String id = id();
      vault.put(record(id, Duration.ofHours(1)), out -> out.write(new byte[100]));
      // another instance runs the claim script and is killed before it can purge or release
      java.util.List<Object> held = dying.api().eval(io.onetimeshare.redis.internal.RedisApi.Script.load("claim.lua"),
          io.lettuce.core.ScriptOutputType.MULTI, new byte[][] {("ots:{" + id + "}").getBytes(),
              ("ots:{" + id + "}:r").getBytes()},
          "dead-instance.1".getBytes(), "2000".getBytes(), Long.toString(System.currentTimeMillis()).getBytes());
      assertTrue(held.size() > 1, "the other instance got the head");

      assertThrows(StoreUnavailableException.class, () -> vault.claim(id),
          "while the other claim is unresolved the answer is 'unavailable', not a possibly wrong 'not found'");
      assertTrue(vault.peek(id).isPresent(), "the metadata is still there");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (redis.command("EXISTS ots:{" + id + "}").trim().equals(":1") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(vault.claim(id).isEmpty(), "when the lease ends the secret counts as opened: never a second delivery");
    }
  }

  @Test
  void redisReclaimsExpiredSecretsByItself() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no");
         RedisStore store = RedisStore.connect(redis.uri())) {
      SecretVault vault = RedisSecretVault.builder(store).chunkSize(1024).inlineLimit(100)
          .chunkGrace(Duration.ZERO).build();
      for (int i = 0; i < 5; i++) {
        vault.put(new SecretRecord(id(), Instant.now().plusMillis(300), new byte[57], new byte[32], 5),
            out -> out.write(new byte[5000]));
      }
      assertTrue(Integer.parseInt(redis.command("DBSIZE").trim().substring(1)) >= 5);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int left;
      do {
        Thread.sleep(500);
        left = Integer.parseInt(redis.command("DBSIZE").trim().substring(1));
      } while (left > 5 && System.nanoTime() < deadline);
      assertEquals(5, left, "heads and chunks expire on their own");
      // what is left is the receipts' traces, which outlive the expiry by an hour (and expire on their own too)
      String keys = redis.command("KEYS *");
      assertEquals(5, keys.lines().filter(l -> l.startsWith("ots:{") && l.endsWith("}:r")).count(), keys);
      assertTrue(redis.command("PTTL " + keys.lines().filter(l -> l.endsWith("}:r")).findFirst().orElseThrow())
          .trim().matches(":[0-9]{7,}"), "a trace has its own expiry");
    }
  }
}
