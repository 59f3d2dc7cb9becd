package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.Charge;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, lever 1: a client's budgets charged in the same script as the put or the claim on a single node, counted
 * in commands Redis processed: one per create and one per open (the purge after delivery is sent without waiting and
 * is not on the request's path), all or none, and a refusal stores and claims nothing.
 */
class ChargedOperationsTest {
  static RedisProcess redis;
  static RedisStore store;
  static RedisSecretVault vault;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    store = RedisStore.connect(redis.uri());
    vault = RedisSecretVault.builder(store).prefix("charged").build();
  }

  @AfterAll
  static void stop() throws Exception {
    vault.close();
    store.close();
    redis.close();
  }

  /** The commands clients sent while {@code action} ran (see {@link RedisProcess#monitor}). */
  static List<String> sent(RedisProcess.Action action) throws Exception {
    return redis.monitor(action);
  }

  static String id() {
    return (UUID.randomUUID().toString().replace("-", "") + "AAAAAA").substring(0, 22);
  }

  static SecretRecord record(String id) {
    return new SecretRecord(id, Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS), new byte[8],
        new byte[32], 3);
  }

  final List<RateDecision> decisions = new ArrayList<>();

  Charge charge(RedisRateLimiter l, String key, long permits) {
    return new Charge(l, key, permits, d -> {
      decisions.add(d);
      if (!d.allowed()) {
        throw new IllegalStateException("refused");
      }
    });
  }

  @Test
  void aPutAndAClaimWithTheirBudgetsAreOneCommandEach() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    RedisRateLimiter count = RedisRateLimiter.create(store, RateLimit.parse("10/1h"), "charged", "c" + name);
    RedisRateLimiter bytes = RedisRateLimiter.create(store, new RateLimit(1 << 20, java.time.Duration.ofHours(1)),
        "charged", "b" + name);
    // once unmeasured: Redis learns the scripts (EVALSHA, NOSCRIPT, EVAL the first time only)
    String warm = id();
    vault.put(record(warm), out -> out.write(new byte[16]), Charge.Batch.of(List.of(charge(count, "w", 1))));
    vault.claimIf(warm, r -> true, Charge.Batch.of(List.of(charge(count, "w", 1)))).claimed().body().close();
    Thread.sleep(500); // the warm-up's purge met NOSCRIPT too and is retried by EVAL in the background
    decisions.clear();
    String id = id();
    List<String> put = sent(() -> vault.put(record(id), out -> out.write(new byte[4096]), Charge.Batch.of(List.of(
        charge(count, "1.2.3.4", 1), charge(bytes, "1.2.3.4", 4096)))));
    assertEquals(1, put.size(), "one script: the put and both budgets " + put);
    assertEquals(2, decisions.size());
    assertEquals(9, decisions.get(0).remaining());
    assertTrue(decisions.get(1).allowed());

    SecretVault.ClaimOutcome[] out = new SecretVault.ClaimOutcome[1];
    List<String> claim = sent(() -> out[0] = vault.claimIf(id, r -> true, Charge.Batch.of(List.of(
        charge(count, "5.6.7.8", 1)))));
    assertNotNull(out[0].claimed());
    // the claim with its budget, then the purge, which the request does not wait for
    assertEquals(2, claim.size(), claim.toString());
    out[0].claimed().body().close();
  }

  @Test
  void aRefusalStoresAndClaimsNothingAndChargesNoOtherBudget() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    RedisRateLimiter count = RedisRateLimiter.create(store, RateLimit.parse("10/1h"), "charged", "c" + name);
    RedisRateLimiter bytes = RedisRateLimiter.create(store, new RateLimit(5000, java.time.Duration.ofHours(1)),
        "charged", "b" + name);
    String id = id();
    vault.put(record(id), out -> out.write(new byte[4000]), Charge.Batch.of(List.of(charge(count, "k", 1),
        charge(bytes, "k", 4000))));
    String second = id();
    assertThrows(IllegalStateException.class, () -> vault.put(record(second), out -> out.write(new byte[4000]),
        Charge.Batch.of(List.of(charge(count, "k", 1), charge(bytes, "k", 4000)))));
    assertTrue(vault.peek(second).isEmpty(), "nothing stored");
    decisions.clear();
    assertTrue(count.tryAcquire("k").allowed());
    assertEquals(7, count.tryAcquire("k").remaining(), "the refused put charged the count budget nothing");

    RedisRateLimiter opens = RedisRateLimiter.create(store, RateLimit.parse("1/1h"), "charged", "o" + name);
    assertEquals(SecretVault.ClaimOutcome.ABSENT, vault.claimIf(id(), r -> true, Charge.Batch.of(List.of(
        charge(opens, "guesser", 1)))), "an absent id still costs the budget");
    assertThrows(IllegalStateException.class, () -> vault.claimIf(id, r -> true, Charge.Batch.of(List.of(
        charge(opens, "guesser", 1)))));
    assertTrue(vault.peek(id).isPresent(), "a refused claim leaves the secret where it was");
  }

  @Test
  void aLargeBodyIsChargedBeforeItsFirstChunkIsStored() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    RedisRateLimiter bytes = RedisRateLimiter.create(store, new RateLimit(100_000, java.time.Duration.ofHours(1)),
        "charged", "b" + name);
    bytes.tryAcquire("big", 100_000); // spent
    String id = id();
    long keysBefore = Long.parseLong(redis.command("DBSIZE").replaceAll("[^0-9]", ""));
    assertThrows(IllegalStateException.class, () -> vault.put(record(id), out -> {
      out.write(new byte[1 << 20]); // past the inline limit: chunks would be written as it goes
    }, Charge.Batch.of(List.of(charge(bytes, "big", 50_000)))));
    assertEquals(keysBefore, Long.parseLong(redis.command("DBSIZE").replaceAll("[^0-9]", "")),
        "no chunk was stored");
    assertFalse(decisions.isEmpty());
  }

  @Test
  void aPeekSendsItsBudgetAndItsReadTogether() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    RedisRateLimiter opens = RedisRateLimiter.create(store, RateLimit.parse("2/1h"), "charged", "p" + name);
    String id = id();
    vault.put(record(id), out -> out.write(new byte[16]));
    vault.peek(id, Charge.Batch.of(List.of(charge(opens, "warm", 1)))); // the script is known to Redis from now on
    Thread.sleep(200);
    List<String> peek = sent(() -> assertTrue(vault.peek(id, Charge.Batch.of(List.of(charge(opens, "p", 1))))
        .isPresent()));
    // two commands, written before either answer is awaited: one round trip (pipelined)
    assertEquals(List.of("EVALSHA", "HMGET"), peek);
    assertTrue(vault.peek(id(), Charge.Batch.of(List.of(charge(opens, "p", 1)))).isEmpty(), "an unknown id costs too");
    assertThrows(IllegalStateException.class, () -> vault.peek(id, Charge.Batch.of(List.of(charge(opens, "p", 1)))),
        "the budget is spent: refused, nothing answered");
  }

  /**
   * Issue 35: the standalone server wraps each Redis limiter in a FallbackRateLimiter (--rate-fallback 30s, the
   * default); its budgets are charged in the put's and the claim's script all the same.
   */
  @Test
  void budgetsBehindAFallbackLimiterAreChargedInTheSameScript() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    java.time.Clock clock = java.time.Clock.systemUTC();
    io.onetimeshare.spi.FallbackRateLimiter count = io.onetimeshare.spi.FallbackRateLimiter.of(
        RedisRateLimiter.create(store, RateLimit.parse("10/1h"), "charged", "fc" + name),
        io.onetimeshare.memory.InMemoryRateLimiter.builder(RateLimit.parse("10/1h")).build(),
        java.time.Duration.ofSeconds(30), clock);
    io.onetimeshare.spi.FallbackRateLimiter bytes = io.onetimeshare.spi.FallbackRateLimiter.of(
        RedisRateLimiter.create(store, new RateLimit(1 << 20, java.time.Duration.ofHours(1)), "charged", "fb" + name),
        io.onetimeshare.memory.InMemoryRateLimiter.builder(new RateLimit(1 << 20, java.time.Duration.ofHours(1)))
            .build(), java.time.Duration.ofSeconds(30), clock);
    String warm = id();
    vault.put(record(warm), out -> out.write(new byte[16]), Charge.Batch.of(List.of(fallbackCharge(count, "w", 1))));
    vault.claimIf(warm, r -> true, Charge.Batch.of(List.of(fallbackCharge(count, "w", 1)))).claimed().body().close();
    Thread.sleep(500);
    decisions.clear();
    String id = id();
    List<String> put = sent(() -> vault.put(record(id), out -> out.write(new byte[4096]), Charge.Batch.of(List.of(
        fallbackCharge(count, "9.9.9.9", 1), fallbackCharge(bytes, "9.9.9.9", 4096)))));
    assertEquals(List.of("EVALSHA"), put, "one script: the put and both budgets");
    assertEquals(9, decisions.get(0).remaining(), "the shared budget decided");
    SecretVault.ClaimOutcome[] out = new SecretVault.ClaimOutcome[1];
    List<String> claim = sent(() -> out[0] = vault.claimIf(id, r -> true, Charge.Batch.of(List.of(
        fallbackCharge(count, "8.8.8.8", 1)))));
    assertNotNull(out[0].claimed());
    assertEquals(2, claim.size(), "the claim with its budget, then the purge nobody waits for " + claim);
    out[0].claimed().body().close();
    assertFalse(count.degraded());
  }

  Charge fallbackCharge(io.onetimeshare.spi.RateLimiter l, String key, long permits) {
    return new Charge(l, key, permits, d -> {
      decisions.add(d);
      if (!d.allowed()) {
        throw new IllegalStateException("refused");
      }
    });
  }
}
