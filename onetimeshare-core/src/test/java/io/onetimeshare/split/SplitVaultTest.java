package io.onetimeshare.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.memory.InMemoryBodyStore;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The whole vault contract on records in memory and bodies in a body store (issue 37), and what the split adds: the
 * body is in the body store and not in the records, it is gone once opened or deleted, the sweeper takes expired
 * ones, and a body store that fails gives the claim back (503, nothing delivered) or stores nothing.
 */
class SplitVaultTest extends SecretVaultContract {
  /** The body store under test, able to fail on demand (a store outage, with nothing else changed). */
  static final class Outage implements BodyStore {
    final BodyStore real = new InMemoryBodyStore();
    final AtomicBoolean down = new AtomicBoolean();

    private void check() throws IOException {
      if (down.get()) {
        throw new IOException("the object store does not answer");
      }
    }

    @Override
    public void write(String key, InputStream body) throws IOException {
      check();
      real.write(key, body);
    }

    @Override
    public Optional<Body> read(String key) throws IOException {
      check();
      return real.read(key);
    }

    @Override
    public void delete(String key) throws IOException {
      check();
      real.delete(key);
    }

    @Override
    public List<String> keysBefore(String bound, int max) throws IOException {
      check();
      return real.keysBefore(bound, max);
    }

    @Override
    public String beginParts(String key) throws IOException {
      check();
      return real.beginParts(key);
    }

    @Override
    public String writePart(String key, String writeId, int number, byte[] data) throws IOException {
      check();
      return real.writePart(key, writeId, number, data);
    }

    @Override
    public void completeParts(String key, String writeId, List<String> parts) throws IOException {
      check();
      real.completeParts(key, writeId, parts);
    }

    @Override
    public void abortParts(String key, String writeId) throws IOException {
      check();
      real.abortParts(key, writeId);
    }

    @Override
    public List<Unfinished> unfinished(int max) throws IOException {
      check();
      return real.unfinished(max);
    }
  }

  private Outage bodies;

  @Override
  protected SecretVault createVault(MutableClock clock) {
    bodies = new Outage();
    return SplitVault.builder(InMemorySecretVault.builder().clock(clock).build(), bodies).clock(clock).build();
  }

  private SplitVault split() {
    return (SplitVault) vault;
  }

  @Test
  void theBodyLivesInTheBodyStoreUntilItIsOpened() throws Exception {
    String id = newId();
    SecretRecord r = record(id, Duration.ofHours(1), 5);
    byte[] body = body(100_000);
    vault.put(r, out -> out.write(body));
    String key = split().key(r);
    assertTrue(key.matches("b/[0-9]{10}/[A-Za-z0-9_-]{32}") && !key.contains(id), "no id in the key: " + key);
    assertArrayEquals(body, bodies.real.read(key).orElseThrow().stream().readAllBytes(), "in the body store");
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
      assertArrayEquals(body, c.body().readAllBytes());
    }
    assertTrue(bodies.real.read(key).isEmpty(), "deleted once opened");
  }

  @Test
  void aDeletedSecretsBodyGoesAndTheSweeperTakesExpiredOnes() throws Exception {
    String deleted = newId();
    SecretRecord d = record(deleted, Duration.ofHours(1), 5);
    vault.put(d, out -> out.write(body(10)));
    vault.delete(deleted);
    assertTrue(bodies.real.read(split().key(d)).isEmpty());

    String expiring = newId();
    SecretRecord e = record(expiring, Duration.ofMinutes(5), 5);
    vault.put(e, out -> out.write(body(10)));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, split().sweep(), "not before its grace has passed");
    clock.advance(Duration.ofMinutes(3)); // 2 min of grace, and the minute the key names
    assertEquals(1, split().sweep());
    assertTrue(bodies.real.read(split().key(e)).isEmpty(), "swept");
  }

  @Test
  void aClientOverItsBudgetStreamsNothingToTheBodyStore() throws Exception {
    io.onetimeshare.spi.RateLimiter limiter = io.onetimeshare.memory.InMemoryRateLimiter.builder(
        io.onetimeshare.spi.RateLimit.parse("1/1h")).build();
    java.util.function.Supplier<io.onetimeshare.spi.Charge.Batch> budget = () -> io.onetimeshare.spi.Charge.Batch.of(
        List.of(new io.onetimeshare.spi.Charge(limiter, "client", 1, d -> {
          if (!d.allowed()) {
            throw new IllegalStateException("over budget");
          }
        })));
    vault.put(record(newId(), Duration.ofHours(1), 5), out -> out.write(body(10)), budget.get());
    int before = bodies.real.keysBefore("c", 1000).size();
    java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
    String over = newId();
    assertThrows(IllegalStateException.class, () -> vault.put(record(over, Duration.ofHours(1), 5), out -> {
      written.set(true);
      out.write(body(1000));
    }, budget.get()));
    assertTrue(!written.get(), "the body was never asked for");
    assertEquals(before, bodies.real.keysBefore("c", 1000).size(), "nothing reached the body store");
    assertTrue(vault.peek(over).isEmpty());
  }

  @Test
  void aBodyStoreThatCannotBeReadGivesTheClaimBackAndOneThatCannotWriteStoresNothing() throws Exception {
    String id = newId();
    byte[] body = body(1000);
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body));
    bodies.down.set(true);
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> vault.claim(id));
    assertEquals(StoreUnavailableException.Effect.NOTHING_DELIVERED, e.effect());
    String other = newId();
    StoreUnavailableException w = assertThrows(StoreUnavailableException.class,
        () -> vault.put(record(other, Duration.ofHours(1), 5), out -> out.write(body(10))));
    assertEquals(StoreUnavailableException.Effect.NOT_STORED, w.effect());
    bodies.down.set(false);
    assertTrue(vault.peek(other).isEmpty(), "a body that was not stored leaves no record");
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow()) {
      assertArrayEquals(body, c.body().readAllBytes(), "given back: the secret still opens, once");
    }
    assertTrue(vault.claim(id).isEmpty());
  }
}
