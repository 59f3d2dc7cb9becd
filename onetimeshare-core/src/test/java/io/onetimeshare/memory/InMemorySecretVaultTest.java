package io.onetimeshare.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.CapacityException;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemorySecretVaultTest extends SecretVaultContract {

  @Override
  protected SecretVault createVault(MutableClock clock) {
    return InMemorySecretVault.builder().clock(clock).build();
  }

  @Test
  void fullBudgetRefusesInsteadOfEvicting() throws Exception {
    InMemorySecretVault small = InMemorySecretVault.builder().clock(clock).maxBytes(64 * 1024).build();
    String first = newId();
    small.put(record(first, Duration.ofHours(1), 5), out -> out.write(body(40 * 1024)));
    String second = newId();
    CapacityException e = assertThrows(CapacityException.class,
        () -> small.put(record(second, Duration.ofHours(1), 5), out -> out.write(body(40 * 1024))));
    assertTrue(e.getMessage().contains("full"));
    assertTrue(small.peek(first).isPresent(), "the unexpired secret must still be there");
    assertTrue(small.peek(second).isEmpty());
    small.claim(first).orElseThrow().close();
    small.put(record(second, Duration.ofHours(1), 5), out -> out.write(body(40 * 1024)));
    assertTrue(small.peek(second).isPresent());
  }

  @Test
  void expiredStorageIsReclaimed() throws Exception {
    InMemorySecretVault v = (InMemorySecretVault) vault;
    for (int i = 0; i < 10; i++) {
      v.put(record(newId(), Duration.ofMinutes(1), 5), out -> out.write(body(1000)));
    }
    assertEquals(10, v.size());
    assertTrue(v.usedBytes() >= 10_000);
    clock.advance(Duration.ofMinutes(2));
    v.cleanUp();
    assertEquals(0, v.size());
    assertEquals(10L * InMemorySecretVault.TRACE_CHARGE, v.usedBytes(), "only the receipts' traces are left");
    clock.advance(io.onetimeshare.spi.SecretTrace.RETENTION);
    v.cleanUp();
    assertEquals(0, v.usedBytes());
  }

  @Test
  void abandonedUploadGivesItsBudgetBack() throws Exception {
    InMemorySecretVault v = (InMemorySecretVault) vault;
    String id = newId();
    v.beginUpload(new io.onetimeshare.spi.PendingUpload(id, clock.instant().plus(Duration.ofDays(1)), new byte[32], 5,
        1024));
    v.appendSegment(id, 0, body(1040));
    assertTrue(v.usedBytes() >= 1040);
    clock.advance(io.onetimeshare.spi.PendingUpload.IDLE.plusSeconds(1));
    v.cleanUp();
    assertEquals(0, v.usedBytes());
  }

  @Test
  void uploadsCountAgainstTheBudget() throws Exception {
    InMemorySecretVault v = InMemorySecretVault.builder().clock(clock).maxBytes(64 * 1024).build();
    String id = newId();
    v.beginUpload(new io.onetimeshare.spi.PendingUpload(id, clock.instant().plus(Duration.ofDays(1)), new byte[32], 5,
        16 * 1024));
    int i = 0;
    try {
      for (; i < 10; i++) {
        v.appendSegment(id, i, body(16 * 1024 + 16));
      }
      org.junit.jupiter.api.Assertions.fail("the budget was not enforced");
    } catch (io.onetimeshare.CapacityException expected) {
      assertEquals(i, v.uploadProgress(id).orElseThrow().segments(), "a refused segment leaves nothing behind");
    }
    assertTrue(v.usedBytes() <= 64 * 1024);
    v.abortUpload(id);
    v.cleanUp();
    assertEquals(0, v.usedBytes());
  }

  @Test
  void budgetIsReturnedAfterClaimAndDelete() throws Exception {
    InMemorySecretVault v = (InMemorySecretVault) vault;
    String a = newId();
    String b = newId();
    v.put(record(a, Duration.ofMinutes(10), 5), out -> out.write(body(1000)));
    v.put(record(b, Duration.ofMinutes(10), 5), out -> out.write(body(1000)));
    v.claim(a).orElseThrow().close();
    v.delete(b);
    assertEquals(2L * InMemorySecretVault.TRACE_CHARGE, v.usedBytes(), "the traces stay for the receipts");
  }

  /** Bodies being read (a client that never reads its download) still hold their bytes: the heap stays bounded. */
  @Test
  void claimedBodiesStayChargedUntilClosed() throws Exception {
    InMemorySecretVault small = InMemorySecretVault.builder().clock(clock).maxBytes(256 * 1024).build();
    String a = newId();
    small.put(record(a, Duration.ofHours(1), 5), out -> out.write(body(150 * 1024)));
    SecretVault.ClaimedSecret stalled = small.claim(a).orElseThrow();
    assertThrows(CapacityException.class, () -> small.put(record(newId(), Duration.ofHours(1), 5),
        out -> out.write(body(150 * 1024))));
    stalled.close();
    stalled.close(); // twice: given back once
    small.put(record(newId(), Duration.ofHours(1), 5), out -> out.write(body(150 * 1024)));
    assertTrue(small.usedBytes() <= 256 * 1024);
  }

  /** An upload in flight takes its buffer from the budget as it grows, before the heap is touched. */
  @Test
  void uploadsInFlightCountAgainstTheBudget() throws Exception {
    InMemorySecretVault small = InMemorySecretVault.builder().clock(clock).maxBytes(256 * 1024).build();
    java.util.concurrent.CountDownLatch halfway = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread first = new Thread(() -> {
      try {
        small.put(record(newId(), Duration.ofHours(1), 5), out -> {
          out.write(body(200 * 1024));
          halfway.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
        });
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    first.start();
    halfway.await();
    assertThrows(CapacityException.class, () -> small.put(record(newId(), Duration.ofHours(1), 5),
        out -> out.write(body(100 * 1024))));
    release.countDown();
    first.join();
  }

  @Test
  void defaultBudgetIsAQuarterOfTheHeap() {
    long expected = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    assertEquals(expected, InMemorySecretVault.Builder.defaultMaxBytes());
  }
}
