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

  // ---- uploads in parts (issue 37, part 4) ----

  private static final int SEGMENT = 256 * 1024;
  /** Segments per part at the store's 8 MiB part size: the whole segments in 8 MiB, 8 MiB / (256 KiB + 16). */
  private static final int K = 31;

  /** Chunk keys the records hold for an upload (segments not moved to the bucket yet). */
  private int heldInRedis(String id) throws Exception {
    String reply = redis.command("KEYS " + prefix + ":{" + id + "}:[0-9]*");
    return Integer.parseInt(reply.substring(1, reply.indexOf('\r')));
  }

  /** Waits until the records hold exactly {@code n} of the upload's segments (the movers work in the background). */
  private void awaitHeld(String id, int n) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    int now;
    while ((now = heldInRedis(id)) != n) {
      assertTrue(System.nanoTime() < deadline, "the records still hold " + now + " segments, not " + n);
      Thread.sleep(20);
    }
  }

  private static byte[][] segments(int n, int lastBytes) {
    byte[][] segs = new byte[n][];
    for (int i = 0; i < n; i++) {
      segs[i] = body(i == n - 1 ? lastBytes : SEGMENT + 16);
    }
    return segs;
  }

  private static byte[] concat(byte[][] segs) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] s : segs) {
      all.writeBytes(s);
    }
    return all.toByteArray();
  }

  private S3BodyStore bucket() {
    return s3.store("ots-split", prefix + "/");
  }

  @Test
  void anUploadMovesToTheBucketInPartsWhileItRunsAndEitherInstanceContinuesIt() throws Exception {
    try (SecretVault peer = createPeer(clock); S3BodyStore bucket = bucket()) {
      String id = newId();
      vault.beginUpload(upload(id, SEGMENT));
      byte[][] segs = segments(2 * K + 10, 1000);
      int held = 0;
      // requests of 5 segments (parts start mid-request, so segments are held and moved), to either instance in turn;
      // each request ends with the sync that makes its segments durable before the client is answered
      for (int first = 0, r = 0; first < segs.length; first += 5, r++) {
        SecretVault at = r % 2 == 0 ? peer : vault;
        for (int i = first; i < Math.min(first + 5, segs.length); i++) {
          assertEquals(i + 1, at.appendSegment(id, i, segs[i]));
        }
        at.syncUpload(id);
        held = Math.max(held, heldInRedis(id));
      }
      assertTrue(held <= 2 * K, "Redis never held more than two parts of the upload: " + held);
      awaitHeld(id, 10); // two parts moved (by movers, in the background), the rest waits for the finish
      assertEquals(1, bucket.unfinished(10).size(), "one write in parts in the bucket");
      assertEquals(segs.length, vault.uploadProgress(id).orElseThrow().segments(), "every segment counted");
      assertEquals(segs.length, peer.appendSegment(id, 5, segs[5]), "a resend of a moved segment is ignored");
      peer.finishUpload(id, new byte[] {1, 2, 3});
      assertEquals(0, heldInRedis(id), "nothing of the body left in Redis once finished");
      assertTrue(bucket.unfinished(10).isEmpty(), "the write was completed");
      try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
        assertArrayEquals(new byte[] {1, 2, 3}, c.record().header());
        assertArrayEquals(concat(segs), c.body().readAllBytes(), "the exact bytes, through the other instance");
      }
      assertTrue(peer.claim(id).isEmpty(), "once");
      assertTrue(bucket.keysBefore("c", 10).isEmpty(), "the object was deleted once opened");
    }
  }

  @Test
  void aSmallUploadIsOnePartAndAnAbortDropsTheWrite() throws Exception {
    try (S3BodyStore bucket = bucket()) {
      String small = newId();
      vault.beginUpload(upload(small, SEGMENT));
      byte[][] segs = segments(3, 5000);
      for (int i = 0; i < segs.length; i++) {
        vault.appendSegment(small, i, segs[i]);
      }
      vault.syncUpload(small);
      assertEquals(3, heldInRedis(small), "less than a part: held until the finish");
      vault.finishUpload(small, new byte[] {7});
      assertEquals(0, heldInRedis(small));
      try (SecretVault.ClaimedSecret c = vault.claim(small).orElseThrow()) {
        assertArrayEquals(concat(segs), c.body().readAllBytes());
      }

      String dropped = newId();
      vault.beginUpload(upload(dropped, SEGMENT));
      for (int i = 0; i < K + 3; i++) {
        vault.appendSegment(dropped, i, body(SEGMENT + 16));
      }
      vault.syncUpload(dropped);
      awaitHeld(dropped, 3);
      assertEquals(1, bucket.unfinished(10).size());
      assertTrue(vault.abortUpload(dropped));
      assertTrue(bucket.unfinished(10).isEmpty(), "the abort dropped the write and its part");
      assertEquals(0, heldInRedis(dropped));
    }
  }

  @Test
  void aBucketOutageMidUploadKeepsWhatWasStoredAndTheUploadResumes() throws Exception {
    String id = newId();
    vault.beginUpload(upload(id, SEGMENT));
    byte[][] segs = segments(3 * K + 5, 4000);
    for (int i = 0; i < K / 2; i++) {
      vault.appendSegment(id, i, segs[i]);
    }
    s3.stop();
    int refusedAt = -1;
    try {
      for (int i = K / 2; i < segs.length; i++) {
        try {
          vault.appendSegment(id, i, segs[i]);
        } catch (StoreUnavailableException e) {
          refusedAt = i;
          break;
        }
      }
    } finally {
      s3.start();
    }
    assertEquals(2 * K - 1, refusedAt, "refused once the upload lags two parts behind, not before");
    assertEquals(2 * K, vault.uploadProgress(id).orElseThrow().segments(), "the refused segment was kept");
    assertTrue(heldInRedis(id) <= 2 * K, "held in Redis meanwhile: at most two parts");
    for (long i = vault.uploadProgress(id).orElseThrow().segments(); i < segs.length; i++) {
      vault.appendSegment(id, i, segs[(int) i]);
    }
    vault.syncUpload(id);
    awaitHeld(id, segs.length - 3 * K); // caught up once the bucket is back
    vault.finishUpload(id, new byte[] {9});
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
      assertArrayEquals(concat(segs), c.body().readAllBytes());
    }
  }

  @Test
  void theSweeperAbortsTheWriteOfAnUploadLeftUnfinishedOnceItsDeadlinePassed() throws Exception {
    try (S3BodyStore bucket = bucket()) {
      String id = newId();
      vault.beginUpload(upload(id, SEGMENT));
      for (int i = 0; i < K; i++) {
        vault.appendSegment(id, i, body(SEGMENT + 16));
      }
      awaitHeld(id, 0);
      assertEquals(1, bucket.unfinished(10).size());
      ((SplitVault) vault).sweep();
      assertEquals(1, bucket.unfinished(10).size(), "not before its deadline");
      clock.advance(Duration.ofHours(1).plusMinutes(4)); // the upload's TTL, the grace, the key's minute
      ((SplitVault) vault).sweep();
      assertTrue(bucket.unfinished(10).isEmpty(), "aborted once its body's deadline passed");
    }
  }
  @Test
  void requestsOfWholePartsGoStraightToTheBucketAndNeverThroughRedis() throws Exception {
    try (SecretVault peer = createPeer(clock)) {
      String id = newId();
      vault.beginUpload(upload(id, SEGMENT));
      byte[][] segs = segments(3 * K + 7, 2000);
      // as ots and the page send: a request per part (8 MiB), to either instance in turn
      for (int first = 0, r = 0; first < segs.length; first += K, r++) {
        SecretVault at = r % 2 == 0 ? vault : peer;
        for (int i = first; i < Math.min(first + K, segs.length); i++) {
          assertEquals(i + 1, at.appendSegment(id, i, segs[i]));
          assertEquals(0, heldInRedis(id), "a whole part's request holds nothing in Redis");
        }
        at.syncUpload(id);
      }
      assertEquals(7, heldInRedis(id), "the last, short request is held: it is no whole part");
      assertEquals(segs.length, peer.uploadProgress(id).orElseThrow().segments());
      // a request cut halfway through a part: what it sent is held (durable) once it ends, and the upload goes on
      String cut = newId();
      vault.beginUpload(upload(cut, SEGMENT));
      for (int i = 0; i < K / 2; i++) {
        vault.appendSegment(cut, i, segs[i]);
      }
      vault.syncUpload(cut);
      assertEquals(K / 2, heldInRedis(cut));
      assertEquals(K / 2, peer.uploadProgress(cut).orElseThrow().segments(), "the other instance sees them");
      for (int i = K / 2; i < segs.length; i++) {
        peer.appendSegment(cut, i, segs[i]);
      }
      peer.syncUpload(cut);
      vault.finishUpload(id, new byte[] {1});
      peer.finishUpload(cut, new byte[] {2});
      for (String each : new String[] {id, cut}) {
        try (SecretVault.ClaimedSecret c = peer.claim(each).orElseThrow()) {
          assertArrayEquals(concat(segs), c.body().readAllBytes(), "the exact bytes");
        }
        assertEquals(0, heldInRedis(each));
      }
    }
  }
}
