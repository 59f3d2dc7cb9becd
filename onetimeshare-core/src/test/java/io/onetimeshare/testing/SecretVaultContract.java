package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.spi.SecretVault;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link SecretVault} contract. Every vault implementation runs it by extending this class (core's test-jar
 * publishes it): memory, filesystem, Redis single node, Redis Cluster.
 */
public abstract class SecretVaultContract {
  private static final SecureRandom RANDOM = new SecureRandom();
  protected MutableClock clock;
  protected SecretVault vault;

  /** A fresh, empty vault that reads time from {@code clock}. */
  protected abstract SecretVault createVault(MutableClock clock) throws Exception;

  /**
   * Whether the vault under test reports {@link SecretVault.ClaimedSecret#bodyLength()} (every vault of this project
   * does); a vault that answers -1 overrides this to false and is then only checked not to report a wrong length.
   */
  protected boolean reportsBodyLength() {
    return true;
  }

  private void assertBodyLength(long expected, SecretVault.ClaimedSecret c) {
    long n = c.bodyLength();
    if (reportsBodyLength()) {
      assertEquals(expected, n, "the claimed body's length (issue 19, finding 5: Content-Length)");
    } else {
      assertTrue(n == -1 || n == expected, "a wrong body length: " + n);
    }
  }

  /** A second vault instance on the same store (another "process"); default: the same instance. */
  protected SecretVault createPeer(MutableClock clock) throws Exception {
    return vault;
  }

  @BeforeEach
  void setUpVault() throws Exception {
    clock = MutableClock.startingNow();
    vault = createVault(clock);
  }

  @AfterEach
  void closeVault() {
    vault.close();
  }

  protected static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  protected SecretRecord record(String id, Duration ttl, int attempts) {
    byte[] header = new byte[57];
    RANDOM.nextBytes(header);
    byte[] hash = new byte[32];
    RANDOM.nextBytes(hash);
    return new SecretRecord(id, clock.instant().plus(ttl), header, hash, attempts);
  }

  protected static byte[] body(int size) {
    byte[] b = new byte[size];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] readAll(SecretVault.ClaimedSecret c) throws IOException {
    try (c; InputStream in = c.body()) {
      return in.readAllBytes();
    }
  }

  @Test
  void putPeekClaimRoundTrip() throws Exception {
    String id = newId();
    SecretRecord rec = record(id, Duration.ofHours(1), 5);
    byte[] body = body(5000);
    vault.put(rec, out -> out.write(body));
    assertEquals(Optional.of(rec), vault.peek(id));
    SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow();
    assertEquals(rec, c.record());
    assertBodyLength(body.length, c);
    assertArrayEquals(body, readAll(c));
  }

  @Test
  void claimIsOnce() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    readAll(vault.claim(id).orElseThrow());
    assertTrue(vault.claim(id).isEmpty());
    assertTrue(vault.peek(id).isEmpty());
    assertTrue(vault.reserveAttempt(id).isEmpty());
    assertFalse(vault.delete(id));
  }

  @Test
  void unknownIdsAreEmptyNotErrors() {
    String id = newId();
    assertTrue(vault.peek(id).isEmpty());
    assertTrue(vault.claim(id).isEmpty());
    assertTrue(vault.reserveAttempt(id).isEmpty());
    assertFalse(vault.delete(id));
  }

  @Test
  void largeBodyInManyWrites() throws Exception {
    String id = newId();
    byte[] body = body(3 * 1024 * 1024 + 17);
    vault.put(record(id, Duration.ofHours(1), 5), out -> {
      for (int off = 0; off < body.length; off += 65_552) {
        out.write(body, off, Math.min(65_552, body.length - off));
      }
    });
    SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow();
    assertBodyLength(body.length, c);
    assertArrayEquals(body, readAll(c));
  }

  @Test
  void failedWriterStoresNothing() {
    String id = newId();
    IOException boom = assertThrows(IOException.class, () -> vault.put(record(id, Duration.ofHours(1), 5), out -> {
      out.write(body(100_000));
      throw new IOException("client went away");
    }));
    assertEquals("client went away", boom.getMessage());
    assertTrue(vault.peek(id).isEmpty());
    assertTrue(vault.claim(id).isEmpty());
  }

  @Test
  void runtimeFailureInWriterStoresNothing() {
    String id = newId();
    assertThrows(IllegalStateException.class, () -> vault.put(record(id, Duration.ofHours(1), 5), out -> {
      out.write(body(10));
      throw new IllegalStateException("too large");
    }));
    assertTrue(vault.peek(id).isEmpty());
  }

  @Test
  void attemptsCountDownToZeroAndNoFurther() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 3), out -> out.write(body(10)));
    assertEquals(OptionalInt.of(2), vault.reserveAttempt(id));
    assertEquals(2, vault.peek(id).orElseThrow().attemptsLeft());
    assertEquals(OptionalInt.of(1), vault.reserveAttempt(id));
    assertEquals(OptionalInt.of(0), vault.reserveAttempt(id));
    assertTrue(vault.reserveAttempt(id).isEmpty(), "no attempt is left to take");
    assertEquals(0, vault.peek(id).orElseThrow().attemptsLeft(), "the last try may still be running: kept");
    assertTrue(vault.delete(id), "the caller whose last try failed deletes it");
    assertTrue(vault.claim(id).isEmpty());
    assertTrue(vault.reserveAttempt(id).isEmpty());
  }

  @Test
  void refundGivesAnAttemptBack() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 1), out -> out.write(body(10)));
    assertEquals(OptionalInt.of(0), vault.reserveAttempt(id));
    assertTrue(vault.reserveAttempt(id).isEmpty());
    vault.refundAttempt(id);
    assertEquals(1, vault.peek(id).orElseThrow().attemptsLeft());
    assertEquals(OptionalInt.of(0), vault.reserveAttempt(id));
    vault.refundAttempt(newId()); // absent: nothing happens
  }

  @Test
  void racingReservationsNeverExceedTheAttemptsLeft() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 3), out -> out.write(body(10)));
    int threads = 16;
    java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < 4; i++) {
            if (vault.reserveAttempt(id).isPresent()) {
              taken.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, taken.get(), "64 racing reservations on a secret with 3 attempts");
    assertEquals(0, vault.peek(id).orElseThrow().attemptsLeft());
  }

  @Test
  void claimStillWorksAfterSomeWrongAttempts() throws Exception {
    String id = newId();
    byte[] body = body(99);
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body));
    vault.reserveAttempt(id);
    vault.reserveAttempt(id);
    SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow();
    assertEquals(3, c.record().attemptsLeft());
    assertArrayEquals(body, readAll(c));
  }

  @Test
  void concurrentReservationsAreCountedExactly() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 1000), out -> out.write(body(10)));
    int threads = 16;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            vault.reserveAttempt(id);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1000 - threads * each, vault.peek(id).orElseThrow().attemptsLeft());
  }

  @Test
  void deleteRemoves() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    assertTrue(vault.delete(id));
    assertTrue(vault.peek(id).isEmpty());
    assertTrue(vault.claim(id).isEmpty());
    assertFalse(vault.delete(id));
  }

  @Test
  void expiredSecretsAreNeverReturned() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofMinutes(5), 5), out -> out.write(body(10)));
    clock.advance(Duration.ofMinutes(4));
    assertTrue(vault.peek(id).isPresent());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(vault.peek(id).isEmpty(), "expired at exactly expiresAt");
    assertTrue(vault.claim(id).isEmpty());
    assertTrue(vault.reserveAttempt(id).isEmpty());
  }

  @Test
  void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
    assertExactlyOneWins(64, 20, (v, id, t) -> v.claim(id).orElse(null));
  }

  /** One claim attempt by racing caller number {@code t}: the claimed secret, or null. */
  @FunctionalInterface
  protected interface ClaimAttempt {
    SecretVault.@org.jspecify.annotations.Nullable ClaimedSecret run(SecretVault v, String id, int t) throws Exception;
  }

  /**
   * {@code rounds} times, {@code threads} callers (half on this vault, half on a peer) race for one fresh secret:
   * exactly one gets it, with its exact body.
   */
  protected void assertExactlyOneWins(int threads, int rounds, ClaimAttempt attempt) throws Exception {
    SecretVault peer = createPeer(clock);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        String id = newId();
        byte[] body = body(2048);
        vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body));
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          SecretVault v = (t % 2 == 0) ? vault : peer;
          int caller = t;
          fs.add(pool.submit(() -> {
            go.await();
            SecretVault.ClaimedSecret c = attempt.run(v, id, caller);
            if (c != null) {
              assertArrayEquals(body, readAll(c));
              winners.incrementAndGet();
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1, winners.get(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
      if (peer != vault) {
        peer.close();
      }
    }
  }

  @Test
  void claimIfLeavesARejectedSecretExactlyAsItWas() throws Exception {
    String id = newId();
    SecretRecord rec = record(id, Duration.ofHours(1), 5);
    byte[] body = body(3000);
    vault.put(rec, out -> out.write(body));
    SecretVault.ClaimOutcome out = vault.claimIf(id, r -> false);
    assertTrue(out.rejected());
    assertNull(out.claimed());
    assertEquals(Optional.of(rec), vault.peek(id), "still there, same record");
    SecretVault.ClaimOutcome again = vault.claimIf(id, r -> r.equals(rec));
    assertFalse(again.rejected());
    assertEquals(rec, again.claimed().record());
    assertArrayEquals(body, readAll(again.claimed()));
    assertEquals(SecretVault.ClaimOutcome.ABSENT, vault.claimIf(id, r -> true), "claimed once");
    assertEquals(SecretVault.ClaimOutcome.ABSENT, vault.claimIf(newId(), r -> true));
  }

  @Test
  void aPredicateThatThrowsLeavesTheSecretThere() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    assertThrows(IllegalStateException.class, () -> vault.claimIf(id, r -> {
      throw new IllegalStateException("corrupt header");
    }));
    assertTrue(vault.claim(id).isPresent());
  }

  @Test
  void ofRacingAcceptingAndRejectingClaimsExactlyOneAcceptingWins() throws Exception {
    assertExactlyOneWins(32, 10, (v, id, t) -> {
      boolean accepts = t % 3 != 0;
      SecretVault.ClaimOutcome o = v.claimIf(id, r -> accepts);
      if (o.claimed() != null) {
        assertTrue(accepts, "only an accepting caller can win");
      }
      return o.claimed();
    });
  }

  @Test
  void recordsAreIndependent() throws Exception {
    String a = newId();
    String b = newId();
    byte[] ba = body(10);
    byte[] bb = body(20);
    vault.put(record(a, Duration.ofHours(1), 5), out -> out.write(ba));
    vault.put(record(b, Duration.ofHours(2), 5), out -> out.write(bb));
    vault.reserveAttempt(a);
    assertEquals(5, vault.peek(b).orElseThrow().attemptsLeft());
    assertArrayEquals(bb, readAll(vault.claim(b).orElseThrow()));
    assertArrayEquals(ba, readAll(vault.claim(a).orElseThrow()));
  }

  // ---- receipts: traces -------------------------------------------------------------------------------------------

  @Test
  void storedSecretLeavesAWaitingTrace() throws Exception {
    String id = newId();
    SecretRecord rec = record(id, Duration.ofHours(1), 5);
    vault.put(rec, out -> out.write(body(10)));
    SecretTrace t = vault.trace(id).orElseThrow();
    assertEquals(SecretState.WAITING, t.state());
    assertEquals(rec.expiresAt(), t.expiresAt());
    assertArrayEquals(rec.deleteTokenHash(), t.deleteTokenHash());
    assertNull(t.at());
    assertTrue(vault.trace(newId()).isEmpty());
  }

  @Test
  void claimMarksTheTraceOpenedAndNothingUndoesIt() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    clock.advance(Duration.ofSeconds(7));
    java.time.Instant openedAt = clock.instant();
    readAll(vault.claim(id).orElseThrow());
    SecretTrace t = vault.trace(id).orElseThrow();
    assertEquals(SecretState.OPENED, t.state());
    assertEquals(openedAt.toEpochMilli(), t.at().toEpochMilli(), 1000);
    assertFalse(vault.delete(id, SecretState.DELETED));
    assertEquals(SecretState.OPENED, vault.trace(id).orElseThrow().state());
  }

  @Test
  void rejectedClaimLeavesTheTraceWaiting() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    assertTrue(vault.claimIf(id, r -> false).rejected());
    assertEquals(SecretState.WAITING, vault.trace(id).orElseThrow().state());
  }

  @Test
  void deleteAndBurnAreTraced() throws Exception {
    String deleted = newId();
    String burned = newId();
    vault.put(record(deleted, Duration.ofHours(1), 5), out -> out.write(body(10)));
    vault.put(record(burned, Duration.ofHours(1), 1), out -> out.write(body(10)));
    assertTrue(vault.delete(deleted));
    assertTrue(vault.delete(burned, SecretState.BURNED));
    assertEquals(SecretState.DELETED, vault.trace(deleted).orElseThrow().state());
    assertEquals(SecretState.BURNED, vault.trace(burned).orElseThrow().state());
    assertTrue(vault.trace(burned).orElseThrow().at() != null);
  }

  @Test
  void traceOutlivesExpiryByTheRetentionThenGoes() throws Exception {
    String id = newId();
    SecretRecord rec = record(id, Duration.ofMinutes(2), 5);
    vault.put(rec, out -> out.write(body(10)));
    clock.advance(Duration.ofMinutes(3));
    assertTrue(vault.peek(id).isEmpty());
    assertEquals(SecretState.WAITING, vault.trace(id).orElseThrow().state()); // reported as expired by the facade
    clock.advance(SecretTrace.RETENTION);
    assertTrue(vault.trace(id).isEmpty());
  }

  // ---- uploads of client-sealed secrets ---------------------------------------------------------------------------

  protected PendingUpload upload(String id, int segmentSize) {
    byte[] hash = new byte[32];
    RANDOM.nextBytes(hash);
    return new PendingUpload(id, clock.instant().plus(Duration.ofHours(1)), hash, 5, segmentSize);
  }

  @Test
  void uploadIsInvisibleUntilFinishedThenAnOrdinarySecret() throws Exception {
    String id = newId();
    PendingUpload up = upload(id, 16);
    vault.beginUpload(up);
    byte[] s0 = body(32);
    byte[] s1 = body(32);
    byte[] s2 = body(20);
    assertEquals(1, vault.appendSegment(id, 0, s0));
    assertEquals(2, vault.appendSegment(id, 1, s1));
    assertTrue(vault.peek(id).isEmpty());
    assertTrue(vault.claim(id).isEmpty());
    assertTrue(vault.trace(id).isEmpty());
    assertEquals(3, vault.appendSegment(id, 2, s2));
    UploadProgress p = vault.uploadProgress(id).orElseThrow();
    assertEquals(3, p.segments());
    assertEquals(84, p.bytes());
    assertTrue(p.sawLast());
    assertEquals(up, p.upload());
    byte[] header = body(57);
    vault.finishUpload(id, header);
    assertTrue(vault.uploadProgress(id).isEmpty());
    assertEquals(up.record(header), vault.peek(id).orElseThrow());
    assertEquals(SecretState.WAITING, vault.trace(id).orElseThrow().state());
    byte[] all = new byte[84];
    System.arraycopy(s0, 0, all, 0, 32);
    System.arraycopy(s1, 0, all, 32, 32);
    System.arraycopy(s2, 0, all, 64, 20);
    assertArrayEquals(all, readAll(vault.claim(id).orElseThrow()));
    assertEquals(SecretState.OPENED, vault.trace(id).orElseThrow().state());
  }

  @Test
  void uploadedSecretSurvivesManySegmentsAndPassphraseHeaders() throws Exception {
    String id = newId();
    vault.beginUpload(upload(id, 4096));
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 40; i++) {
      byte[] seg = body(4112);
      all.write(seg);
      vault.appendSegment(id, i, seg);
    }
    byte[] header = body(84);
    vault.finishUpload(id, header);
    SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow();
    assertArrayEquals(header, c.record().header());
    assertBodyLength(all.size(), c);
    assertArrayEquals(all.toByteArray(), readAll(c));
  }

  @Test
  void segmentsGoInOrderResendsAreIgnoredSizesAreChecked() {
    String id = newId();
    vault.beginUpload(upload(id, 16));
    byte[] s0 = body(32);
    vault.appendSegment(id, 0, s0);
    assertEquals(1, vault.appendSegment(id, 0, body(32))); // a resend: ignored
    UploadConflictException gap = assertThrows(UploadConflictException.class, () -> vault.appendSegment(id, 2, body(32)));
    assertEquals(1, gap.expectedSegment());
    assertThrows(UploadConflictException.class, () -> vault.appendSegment(id, 1, body(33))); // longer than full
    assertThrows(UploadConflictException.class, () -> vault.appendSegment(id, 1, body(16))); // tag only
    vault.appendSegment(id, 1, body(17)); // the last
    assertThrows(UploadConflictException.class, () -> vault.appendSegment(id, 2, body(32)));
    UploadProgress p = vault.uploadProgress(id).orElseThrow();
    assertEquals(2, p.segments());
    assertEquals(49, p.bytes());
  }

  @Test
  void finishNeedsASegmentAndAnUpload() {
    String id = newId();
    vault.beginUpload(upload(id, 16));
    assertThrows(UploadConflictException.class, () -> vault.finishUpload(id, body(57)));
    assertThrows(SecretNotFoundException.class, () -> vault.finishUpload(newId(), body(57)));
    assertThrows(SecretNotFoundException.class, () -> vault.appendSegment(newId(), 0, body(32)));
    assertTrue(vault.uploadProgress(newId()).isEmpty());
  }

  @Test
  void abortedUploadIsGoneWithItsSegments() {
    String id = newId();
    vault.beginUpload(upload(id, 16));
    vault.appendSegment(id, 0, body(32));
    assertTrue(vault.abortUpload(id));
    assertFalse(vault.abortUpload(id));
    assertTrue(vault.uploadProgress(id).isEmpty());
    assertThrows(SecretNotFoundException.class, () -> vault.finishUpload(id, body(57)));
    assertTrue(vault.peek(id).isEmpty());
  }

  @Test
  void uploadPastItsExpiryIsGone() {
    String id = newId();
    vault.beginUpload(upload(id, 16));
    vault.appendSegment(id, 0, body(32));
    clock.advance(Duration.ofHours(2));
    assertTrue(vault.uploadProgress(id).isEmpty());
    assertThrows(SecretNotFoundException.class, () -> vault.appendSegment(id, 1, body(32)));
    assertThrows(SecretNotFoundException.class, () -> vault.finishUpload(id, body(57)));
  }

  @Test
  void racingAppendsOfOneSegmentStoreItOnce() throws Exception {
    String id = newId();
    vault.beginUpload(upload(id, 1024));
    SecretVault peer = createPeer(clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < 20; i++) {
        long index = i;
        byte[] seg = body(1040);
        List<Future<Long>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          SecretVault v = t % 2 == 0 ? vault : peer;
          fs.add(pool.submit(() -> v.appendSegment(id, index, seg)));
        }
        for (Future<Long> f : fs) {
          assertEquals(index + 1, f.get(30, TimeUnit.SECONDS));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    UploadProgress p = vault.uploadProgress(id).orElseThrow();
    assertEquals(20, p.segments());
    assertEquals(20 * 1040, p.bytes());
  }

  // ---- the events outbox (issue 22) -------------------------------------------------------------------------------

  private static final java.util.Set<io.onetimeshare.spi.EventType> ALL =
      java.util.EnumSet.allOf(io.onetimeshare.spi.EventType.class);

  /** A subscription with an operator endpoint "ops" wanting everything and a callback wanting the ends. */
  protected static io.onetimeshare.spi.Subscription subscription() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new io.onetimeshare.spi.Subscription(List.of(io.onetimeshare.spi.NotifyTarget.endpoint("ops", ALL),
        io.onetimeshare.spi.NotifyTarget.callback("https://example.com/hook?x=1", key,
            java.util.EnumSet.complementOf(java.util.EnumSet.of(io.onetimeshare.spi.EventType.CREATED)))));
  }

  private io.onetimeshare.spi.EventOutbox outbox(SecretVault v) {
    org.junit.jupiter.api.Assumptions.assumeTrue(v.outbox().isPresent(), "this vault records no events");
    return v.outbox().orElseThrow();
  }

  /** Takes everything due now, acknowledging it, as "type>target" strings of {@code id}'s events. */
  private List<String> drain(SecretVault v, String id) {
    return drain(v, id, 0);
  }

  /**
   * As {@link #drain(SecretVault, String)}, taking again for up to 5 s until at least {@code expected} of {@code id}'s
   * deliveries came out (a vault may record an opening just after the claim returns, as Redis does with its purge).
   */
  private List<String> drain(SecretVault v, String id, int expected) {
    List<String> out = new ArrayList<>();
    io.onetimeshare.spi.EventOutbox box = outbox(v);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    do {
      for (io.onetimeshare.spi.Delivery d : box.take(100, Duration.ofMinutes(1))) {
        if (d.secretId().equals(id)) {
          out.add(d.eventName() + ">" + d.target().name());
        }
        box.ack(d);
      }
      if (out.size() >= expected) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    java.util.Collections.sort(out);
    return out;
  }

  @Test
  void outboxRecordsCreationAndTheOpeningOncePerTarget() throws Exception {
    io.onetimeshare.spi.EventOutbox box = outbox(vault);
    drain(vault, "");
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5).withSubscription(subscription()), out -> out.write(body(10)));
    List<io.onetimeshare.spi.Delivery> created = box.take(100, Duration.ofMinutes(1));
    assertEquals(1, created.size(), created.toString());
    io.onetimeshare.spi.Delivery c = created.get(0);
    assertEquals(io.onetimeshare.spi.EventType.CREATED, c.type());
    assertEquals("ops", c.target().name());
    assertEquals(id, c.secretId());
    assertEquals(0, c.attempt());
    assertEquals(vault.peek(id).orElseThrow().expiresAt(), c.expiresAt());
    box.ack(c);
    readAll(vault.claim(id).orElseThrow());
    assertTrue(vault.claim(id).isEmpty());
    List<io.onetimeshare.spi.Delivery> opened = new ArrayList<>(box.take(100, Duration.ofMinutes(1)));
    for (int i = 0; i < 250 && opened.size() < 2; i++) { // Redis records it with the purge, just after the claim
      Thread.sleep(20);
      opened.addAll(box.take(100, Duration.ofMinutes(1)));
    }
    assertEquals(List.of("callback", "ops"), opened.stream().map(d -> d.target().name()).sorted().toList());
    for (io.onetimeshare.spi.Delivery d : opened) {
      assertEquals(io.onetimeshare.spi.EventType.OPENED, d.type());
      assertEquals(io.onetimeshare.spi.Delivery.eventId(id, io.onetimeshare.spi.EventType.OPENED), d.eventId());
      if (d.target().isCallback()) {
        assertEquals("https://example.com/hook?x=1", d.target().url());
        assertEquals(32, java.util.Objects.requireNonNull(d.target().signingSecret()).length);
      }
      box.ack(d);
    }
    clock.advance(Duration.ofHours(2));
    assertEquals(List.of(), drain(vault, id), "an opened secret does not also expire");
    assertEquals(0, box.backlog().waiting());
  }

  @Test
  void outboxRecordsDeletionBurnAndExpiryWithNoRequestTouchingIt() throws Exception {
    outbox(vault);
    drain(vault, "");
    String deleted = newId();
    String burned = newId();
    String expired = newId();
    String quiet = newId();
    for (String id : List.of(deleted, burned, expired)) {
      vault.put(record(id, Duration.ofMinutes(2), 5).withSubscription(subscription()), out -> out.write(body(10)));
    }
    vault.put(record(quiet, Duration.ofMinutes(2), 5), out -> out.write(body(10)));
    assertTrue(vault.delete(deleted));
    assertTrue(vault.delete(burned, SecretState.BURNED));
    assertFalse(vault.delete(deleted), "a second delete records nothing");
    assertEquals(List.of("secret.deleted>callback", "secret.deleted>ops"),
        drain(vault, deleted).stream().filter(s -> !s.startsWith("secret.created")).toList());
    assertEquals(List.of(), drain(vault, burned), "already taken with the deletion's");
    clock.advance(Duration.ofMinutes(3));
    assertEquals(List.of("secret.expired>callback", "secret.expired>ops"), drain(vault, expired));
    assertEquals(List.of(), drain(vault, expired), "recorded once");
    assertEquals(List.of(), drain(vault, quiet), "a secret nobody subscribed to records nothing");
  }

  @Test
  void burnIsRecordedAsBurned() throws Exception {
    outbox(vault);
    drain(vault, "");
    String id = newId();
    vault.put(record(id, Duration.ofMinutes(5), 1).withSubscription(subscription()), out -> out.write(body(10)));
    assertEquals(List.of("secret.created>ops"), drain(vault, id));
    assertTrue(vault.delete(id, SecretState.BURNED));
    assertEquals(List.of("secret.burned>callback", "secret.burned>ops"), drain(vault, id));
  }

  @Test
  void aLeasedDeliveryIsHeldThenRetriedWithItsAttemptRaised() throws Exception {
    io.onetimeshare.spi.EventOutbox box = outbox(vault);
    drain(vault, "");
    SecretVault peer = createPeer(clock);
    io.onetimeshare.spi.EventOutbox peerBox = outbox(peer);
    try {
      String id = newId();
      vault.put(record(id, Duration.ofHours(1), 5).withSubscription(subscription()), out -> out.write(body(10)));
      io.onetimeshare.spi.Delivery d = box.take(10, Duration.ofSeconds(30)).get(0);
      assertEquals(List.of(), peerBox.take(10, Duration.ofSeconds(30)), "held by its lease");
      clock.advance(Duration.ofSeconds(31));
      List<io.onetimeshare.spi.Delivery> again = peerBox.take(10, Duration.ofSeconds(30));
      assertEquals(1, again.size(), "the lease ran out: another taker gets it");
      assertEquals(d.eventId(), again.get(0).eventId());
      box.ack(d); // the first taker's lease is gone: nothing happens
      peerBox.retry(again.get(0), clock.instant().plusSeconds(60));
      assertEquals(List.of(), box.take(10, Duration.ofSeconds(30)), "not due before its retry time");
      assertEquals(1, box.backlog().waiting());
      assertTrue(box.backlog().oldest() != null);
      clock.advance(Duration.ofSeconds(61));
      io.onetimeshare.spi.Delivery third = box.take(10, Duration.ofSeconds(30)).get(0);
      assertEquals(1, third.attempt());
      assertEquals(d.occurredAt(), third.occurredAt(), "the event keeps its time");
      box.postpone(third, clock.instant().plusSeconds(5));
      assertEquals(List.of(), box.take(10, Duration.ofSeconds(30)), "postponed");
      clock.advance(Duration.ofSeconds(6));
      io.onetimeshare.spi.Delivery fourth = box.take(10, Duration.ofSeconds(30)).get(0);
      assertEquals(1, fourth.attempt(), "a postponed delivery was not tried: its count stays");
      box.ack(third); // a lease given back is no longer the taker's
      assertEquals(1, box.backlog().waiting());
      box.ack(fourth);
      assertEquals(0, box.backlog().waiting());
    } finally {
      if (peer != vault) {
        peer.close();
      }
    }
  }

  @Test
  void ofRacingClaimsAndDeletesExactlyOneEndIsRecorded() throws Exception {
    outbox(vault);
    drain(vault, "");
    SecretVault peer = createPeer(clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 10; round++) {
        String id = newId();
        vault.put(record(id, Duration.ofHours(1), 5).withSubscription(subscription()), out -> out.write(body(100)));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          SecretVault v = t % 2 == 0 ? vault : peer;
          boolean claim = t % 4 < 2;
          fs.add(pool.submit(() -> {
            go.await();
            if (claim) {
              v.claim(id).ifPresent(c -> {
                try {
                  readAll(c);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
            } else {
              v.delete(id);
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
        List<String> ends = drain(vault, id, 3).stream().filter(e -> !e.startsWith("secret.created")).toList();
        assertEquals(2, ends.size(), "one end, two targets: " + ends);
        assertEquals(ends.get(0).split(">")[0], ends.get(1).split(">")[0], ends.toString());
      }
    } finally {
      pool.shutdownNow();
      if (peer != vault) {
        peer.close();
      }
    }
  }

  @Test
  void aFinishedUploadRecordsItsCreationAndItsEnd() throws Exception {
    outbox(vault);
    drain(vault, "");
    String id = newId();
    PendingUpload plain = upload(id, 16);
    vault.beginUpload(new PendingUpload(id, plain.expiresAt(), plain.deleteTokenHash(), 5, 16, subscription()));
    assertEquals(List.of(), drain(vault, id), "nothing before it is finished");
    vault.appendSegment(id, 0, body(20));
    vault.finishUpload(id, body(57));
    assertEquals(List.of("secret.created>ops"), drain(vault, id));
    readAll(vault.claim(id).orElseThrow());
    assertEquals(List.of("secret.opened>callback", "secret.opened>ops"), drain(vault, id, 2));
  }

  @Test
  void anExpiryIsRecordedByAnotherInstanceWhenTheFirstIsGone() throws Exception {
    outbox(vault);
    drain(vault, "");
    String id = newId();
    vault.put(record(id, Duration.ofMinutes(2), 5).withSubscription(subscription()), out -> out.write(body(10)));
    assertEquals(List.of("secret.created>ops"), drain(vault, id));
    SecretVault restarted = createPeer(clock); // the file and Redis vaults: a new instance on the same store
    try {
      clock.advance(Duration.ofMinutes(3));
      assertEquals(List.of("secret.expired>callback", "secret.expired>ops"), drain(restarted, id));
      assertEquals(List.of(), drain(vault, id), "and only once");
    } finally {
      if (restarted != vault) {
        restarted.close();
      }
    }
  }

  // ---- secret requests (issue 23) --------------------------------------------------------------------------------

  protected io.onetimeshare.spi.RequestRecord request(String id, Duration ttl) {
    return new io.onetimeshare.spi.RequestRecord(id, clock.instant().plus(ttl), body(32), body(32), null,
        io.onetimeshare.spi.Subscription.NONE, body(32));
  }

  @Test
  void aRequestKeepsItsAnswerTokenHashAndOneFromBeforeTokensReadsWithout() {
    String id = newId();
    io.onetimeshare.spi.RequestRecord r = request(id, Duration.ofHours(1));
    vault.requests().orElseThrow().putRequest(r);
    assertArrayEquals(r.answerTokenHash(), vault.requests().orElseThrow().request(id).orElseThrow().answerTokenHash(),
        "the fill link's capability is kept as stored");
    String old = newId();
    vault.requests().orElseThrow().putRequest(new io.onetimeshare.spi.RequestRecord(old, clock.instant().plus(Duration.ofHours(1)), body(32),
        body(32), null));
    assertNull(vault.requests().orElseThrow().request(old).orElseThrow().answerTokenHash(), "a request stored without one reads without one");
  }

  private PendingUpload answer(io.onetimeshare.spi.RequestRecord r) {
    return new PendingUpload(r.id(), r.expiresAt(), body(32), 1, 1024);
  }

  @Test
  void aRequestIsStoredReadAndDeletedWithoutItsAnswer() {
    String id = newId();
    io.onetimeshare.spi.RequestRecord r = request(id, Duration.ofHours(1));
    vault.requests().orElseThrow().putRequest(r);
    assertEquals(r, vault.requests().orElseThrow().request(id).orElseThrow());
    assertThrows(IllegalStateException.class, () -> vault.requests().orElseThrow().putRequest(request(id, Duration.ofHours(1))),
        "an id is one request");
    assertTrue(vault.peek(id).isEmpty(), "a request is not a secret");
    assertTrue(vault.requests().orElseThrow().deleteRequest(id));
    assertTrue(vault.requests().orElseThrow().request(id).isEmpty());
    assertFalse(vault.requests().orElseThrow().deleteRequest(id));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.NO_REQUEST, vault.requests().orElseThrow().beginAnswer(answer(r)));
  }

  @Test
  void aRequestTakesOneAnswerWhichBecomesItsSecret() throws Exception {
    String id = newId();
    io.onetimeshare.spi.RequestRecord r = request(id, Duration.ofHours(1));
    vault.requests().orElseThrow().putRequest(r);
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.STARTED, vault.requests().orElseThrow().beginAnswer(answer(r)));
    assertTrue(vault.requests().orElseThrow().request(id).orElseThrow().answeredAt() != null, "answered from the first byte on");
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED, vault.requests().orElseThrow().beginAnswer(answer(r)));
    byte[] seg = body(40);
    vault.appendSegment(id, 0, seg);
    vault.finishUpload(id, body(57));
    assertArrayEquals(seg, readAll(vault.claim(id).orElseThrow()));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED, vault.requests().orElseThrow().beginAnswer(answer(r)),
        "a second answer after the first was opened is refused too");
  }

  @Test
  void anExpiredRequestTakesNoAnswerAndIsForgottenAfterItsRetention() {
    String id = newId();
    io.onetimeshare.spi.RequestRecord r = request(id, Duration.ofMinutes(2));
    vault.requests().orElseThrow().putRequest(r);
    clock.advance(Duration.ofMinutes(3));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.NO_REQUEST, vault.requests().orElseThrow().beginAnswer(answer(r)));
    assertTrue(vault.requests().orElseThrow().request(id).isPresent(), "kept for its receipt");
    clock.advance(SecretTrace.RETENTION);
    assertTrue(vault.requests().orElseThrow().request(id).isEmpty());
  }

  /**
   * 16 responders, half on {@code vault} and half on {@code peer}, begin answering {@code r} at once; returns how many
   * began (none may find the request missing).
   */
  private int race(ExecutorService pool, SecretVault peer, io.onetimeshare.spi.RequestRecord r) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<io.onetimeshare.spi.RequestStore.Answering>> fs = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      SecretVault v = t % 2 == 0 ? vault : peer;
      fs.add(pool.submit(() -> {
        go.await();
        return v.requests().orElseThrow().beginAnswer(answer(r));
      }));
    }
    go.countDown();
    int started = 0;
    for (Future<io.onetimeshare.spi.RequestStore.Answering> f : fs) {
      io.onetimeshare.spi.RequestStore.Answering a = f.get(60, TimeUnit.SECONDS);
      started += a == io.onetimeshare.spi.RequestStore.Answering.STARTED ? 1 : 0;
      assertTrue(a != io.onetimeshare.spi.RequestStore.Answering.NO_REQUEST, a.toString());
    }
    return started;
  }

  @Test
  void ofRacingRespondersExactlyOneAnswers() throws Exception {
    SecretVault peer = createPeer(clock);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int round = 0; round < 10; round++) {
        io.onetimeshare.spi.RequestRecord r = request(newId(), Duration.ofHours(1));
        vault.requests().orElseThrow().putRequest(r);
        assertEquals(1, race(pool, peer, r), "round " + round);
      }
    } finally {
      pool.shutdownNow();
      if (peer != vault) {
        peer.close();
      }
    }
  }

  @Test
  void aSubscribedRequestIsToldFulfilledOrExpiredOnceAndNothingWhenWithdrawn() throws Exception {
    outbox(vault);
    drain(vault, "");
    byte[] key = body(32);
    io.onetimeshare.spi.Subscription sub = new io.onetimeshare.spi.Subscription(List.of(
        io.onetimeshare.spi.NotifyTarget.asker("https://example.com/asked", key)));
    String fulfilled = newId();
    String unanswered = newId();
    String withdrawn = newId();
    String abandoned = newId();
    for (String id : List.of(fulfilled, unanswered, withdrawn, abandoned)) {
      vault.requests().orElseThrow().putRequest(request(id, Duration.ofMinutes(2)).withSubscription(sub));
    }
    assertEquals(sub, vault.requests().orElseThrow().request(fulfilled).orElseThrow().subscription(), "the store keeps who is told");
    for (String id : List.of(fulfilled, abandoned)) {
      io.onetimeshare.spi.RequestRecord r = vault.requests().orElseThrow().request(id).orElseThrow();
      assertEquals(io.onetimeshare.spi.RequestStore.Answering.STARTED, vault.requests().orElseThrow().beginAnswer(new PendingUpload(id, r.expiresAt(), body(32), 1,
          1024, r.subscription())));
    }
    vault.appendSegment(fulfilled, 0, body(40));
    assertEquals(List.of(), drain(vault, fulfilled), "not before the answer is stored");
    vault.finishUpload(fulfilled, body(57));
    assertEquals(List.of("request.fulfilled>asker"), drain(vault, fulfilled, 1));
    assertTrue(vault.requests().orElseThrow().deleteRequest(withdrawn));
    for (String id : List.of(unanswered, abandoned)) {
      assertEquals(List.of(), drain(vault, id), "nothing before the expiry");
    }
    clock.advance(Duration.ofMinutes(3));
    java.util.Map<String, List<String>> told = new java.util.HashMap<>();
    io.onetimeshare.spi.EventOutbox box = outbox(vault);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (told.size() < 3 && System.nanoTime() < deadline) { // one take acknowledges all, so all ids are read here
      for (io.onetimeshare.spi.Delivery d : box.take(100, Duration.ofMinutes(1))) {
        told.computeIfAbsent(d.secretId(), k -> new ArrayList<>()).add(d.eventName() + ">" + d.target().name());
        box.ack(d);
      }
      Thread.sleep(20);
    }
    assertEquals(List.of("request.expired>asker"), told.get(unanswered), "nobody answered");
    assertEquals(List.of("request.expired>asker"), told.get(abandoned), "an answer begun, never finished");
    assertEquals(List.of("request.expired>asker"), told.get(fulfilled), "an answer nobody opened");
    assertEquals(null, told.get(withdrawn), "a withdrawn request tells nothing");
    for (String id : List.of(fulfilled, unanswered, abandoned)) {
      assertEquals(List.of(), drain(vault, id), "each told once");
    }
  }

  @Test
  void anAnswerThatLeftNothingFreesItsRequestToOneOfManyButAStoredOneNever() throws Exception {
    String id = newId();
    io.onetimeshare.spi.RequestRecord r = request(id, Duration.ofHours(1));
    vault.requests().orElseThrow().putRequest(r);
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.STARTED, vault.requests().orElseThrow().beginAnswer(answer(r)));
    vault.appendSegment(id, 0, body(40));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED, vault.requests().orElseThrow().beginAnswer(answer(r)), "an answer under way holds it");
    assertTrue(vault.abortUpload(id), "dropped (aborted here; an upload idle for an hour is dropped the same way)");
    SecretVault peer = createPeer(clock);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      assertEquals(1, race(pool, peer, r),
          "an answer that left nothing frees the request, for exactly one of the racers");
    } finally {
      pool.shutdownNow();
      if (peer != vault) {
        peer.close();
      }
    }
    byte[] seg = body(40);
    vault.appendSegment(id, 0, seg);
    vault.finishUpload(id, body(57));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED, vault.requests().orElseThrow().beginAnswer(answer(r)), "a stored answer holds it");
    assertArrayEquals(seg, readAll(vault.claim(id).orElseThrow()));
    assertEquals(io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED, vault.requests().orElseThrow().beginAnswer(answer(r)), "an opened answer holds it");
  }
}
