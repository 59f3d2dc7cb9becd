package io.onetimeshare.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault.ClaimOutcome;
import io.onetimeshare.spi.SecretVault.ClaimedSecret;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.Acknowledged;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The claim protocol that survives lost answers. A claim is one Lua script that marks the head with a per-claim token
 * and a lease and returns it; of racing claimers exactly one gets it. The winner deletes the head as soon as the
 * answer reaches it ({@code purge.lua}, sent without waiting) and gives back a head it does not want ({@code
 * release.lua}); a claimer that saw a failure gives it back once Redis answers again (the {@link Resolver}), so an
 * outage neither loses a secret nor delivers it twice. A claimer whose process dies leaves the head claimed: it
 * counts as opened when the lease ends.
 */
final class ClaimProtocol {
  private static final Script CLAIM = Script.load("claim.lua");
  private static final Script CLAIM_CHARGED = Script.charged("claim.lua");
  private static final Script PURGE = Script.load("purge.lua");
  private static final Script RELEASE = Script.load("release.lua");

  /** What {@code claim.lua} returns for a head it handed to this claimer, decoded once. */
  record Head(SecretRecord record, long chunks, byte @Nullable [] inline, long bodyLength, boolean subscribed) {
    static Head decode(String id, List<Object> v) {
      long length = v.size() > 6 && v.get(6) != null ? KeyLayout.num(v.get(6)) : -1;
      boolean subscribed = v.size() > 7 && v.get(7) != null;
      long chunks = v.get(4) == null ? 0 : KeyLayout.num(v.get(4));
      SecretRecord r = new SecretRecord(id, Instant.ofEpochMilli(KeyLayout.num(v.get(0))), (byte[]) v.get(2),
          (byte[]) v.get(3), (int) Math.max(0, KeyLayout.num(v.get(1))));
      return new Head(r, chunks, (byte[]) v.get(5), length, subscribed);
    }
  }

  private final RedisApi api;
  private final ClaimSignals signals;
  private final KeyLayout keys;
  private final ChunkIo chunks;
  private final Clock clock;
  private final Duration timeout;
  private final long leaseMs;
  private final byte[] leaseArg;
  private final String tokenPrefix;
  private final AtomicLong claims = new AtomicLong();
  private final Resolver resolver = new Resolver();

  private final java.util.function.Consumer<String> recorded;
  private final java.util.function.BiConsumer<String, Long> lookAgain;

  ClaimProtocol(RedisApi api, ClaimSignals signals, KeyLayout keys, ChunkIo chunks, Clock clock, Duration timeout,
      Duration lease, java.util.function.Consumer<String> recorded, java.util.function.BiConsumer<String, Long> lookAgain) {
    this.recorded = recorded;
    this.lookAgain = lookAgain;
    this.api = api;
    this.signals = signals;
    this.keys = keys;
    this.chunks = chunks;
    this.clock = clock;
    this.timeout = timeout;
    this.leaseMs = lease.toMillis();
    this.leaseArg = KeyLayout.ascii(leaseMs);
    byte[] instance = new byte[12];
    new SecureRandom().nextBytes(instance);
    this.tokenPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(instance) + ".";
  }

  /**
   * Claims, tests here, and gives a rejected secret back. While another claimer holds the head this waits for its
   * claim to end ({@link #awaitRelease}).
   */
  ClaimOutcome claimIf(String id, Predicate<SecretRecord> accept, Charges.@Nullable Folded charges) {
    byte[][] both = keys.stateKeys(id);
    // unique per claim (this vault instance + a counter); it names the claimer, it protects nothing
    byte[] token = (tokenPrefix + claims.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Object> v = charges == null ? claimOnce(both, token) : claimCharged(both, token, charges);
    if (isHeld(v)) {
      v = awaitRelease(keys.claimChannel(id), both, token, deadline);
    }
    if (v == null || v.isEmpty() || v.get(0) == null) {
      return ClaimOutcome.ABSENT;
    }
    Head h = Head.decode(id, v);
    if (h.record().isExpiredAt(clock.instant())) {
      purge(id, both, token);
      chunks.deleteChunks(id, h.chunks());
      return ClaimOutcome.ABSENT;
    }
    boolean accepted = false;
    try {
      accepted = accept.test(h.record());
    } finally {
      if (!accepted) {
        giveBack(both, token);
      }
    }
    if (!accepted) {
      return ClaimOutcome.REJECTED;
    }
    if (h.subscribed()) {
      // if the clean-up below is lost (a failover right after this confirmed claim), the outbox still looks at this
      // secret when the claim's lease has ended and records its opening from the trace, instead of at its expiry
      lookAgain.accept(id, clock.millis() + leaseMs + 1000);
    }
    purge(id, both, token);
    byte[] inline = h.inline();
    InputStream body = h.chunks() == 0
        ? new ByteArrayInputStream(inline == null ? new byte[0] : inline)
        : chunks.reader(id, h.chunks());
    return ClaimOutcome.claimed(ClaimedSecret.of(h.record(), body, h.bodyLength()));
  }

  /**
   * The first claim with the client's budgets in the same script (issue 25): a refusal (thrown by a charge) claims
   * nothing; otherwise the answer is claim.lua's.
   */
  @SuppressWarnings("unchecked")
  private @Nullable List<Object> claimCharged(byte[][] both, byte[] token, Charges.Folded charges) {
    List<Object> r;
    try {
      r = api.evalAcknowledged(CLAIM_CHARGED, ScriptOutputType.MULTI, charges.keysAfter(both),
          charges.argsAfter(token, leaseArg, KeyLayout.ascii(clock.millis())));
    } catch (Acknowledged.Shortfall e) {
      throw notConfirmed(e, both, token);
    } catch (StoreUnavailableException e) {
      resolver.retry(RELEASE, both, token); // the script may have run without its answer reaching us
      throw e.withEffect(StoreUnavailableException.Effect.NOTHING_DELIVERED);
    }
    charges.settle(r.get(1)); // throws on a refusal: the script claimed nothing
    return r.size() > 2 ? (List<Object>) r.get(2) : null;
  }

  private @Nullable List<Object> claimOnce(byte[][] both, byte[] token) {
    try {
      return api.evalAcknowledged(CLAIM, ScriptOutputType.MULTI, both, token, leaseArg,
          KeyLayout.ascii(clock.millis()));
    } catch (Acknowledged.Shortfall e) {
      throw notConfirmed(e, both, token);
    } catch (StoreUnavailableException e) {
      resolver.retry(RELEASE, both, token); // the script may have run without its answer reaching us
      throw e.withEffect(StoreUnavailableException.Effect.NOTHING_DELIVERED);
    }
  }

  /**
   * The claim ran on the primary but too few replicas confirmed it (issue 35): a failover now could promote a replica
   * that never saw it, so nothing is delivered. The claim is given back as soon as Redis takes it (on whichever node
   * is primary then; where the claim never arrived there is nothing to give back), so the secret stays openable once.
   */
  private StoreUnavailableException notConfirmed(Acknowledged.Shortfall e, byte[][] both, byte[] token) {
    resolver.retry(RELEASE, both, token);
    return new StoreUnavailableException(e.getMessage() + " Nothing was delivered; the secret can still be opened "
        + "once.", null, StoreUnavailableException.Effect.NOTHING_DELIVERED);
  }

  /** Runs {@code script} until Redis takes it or the lease is over (for changes that must be undone). */
  void later(Script script, byte[][] keys, byte[]... args) {
    resolver.retry(script, keys, args);
  }

  /** {@code claim.lua}'s answer while another claimer holds the head: {0}. */
  private static boolean isHeld(@Nullable List<Object> v) {
    return v != null && v.size() == 1 && v.get(0) != null;
  }

  /**
   * Another claimer holds the head: it either purges it (then: not found) or gives it back (then: ours to claim).
   * Waits for the signal that its claim ended (claim.lua marked the head as waited for, so the ending script
   * publishes), claiming again after each, until the store's timeout; then answers unavailable, never a wrong "not
   * found". Subscribing first and claiming after means a release between the two is seen by the claim.
   */
  private @Nullable List<Object> awaitRelease(byte[] channel, byte[][] both, byte[] token, long deadline) {
    try (ClaimSignals.Watch watch = signals.watch(channel, api)) {
      while (true) {
        List<Object> v = claimOnce(both, token);
        if (!isHeld(v)) {
          return v;
        }
        if (!watch.await(deadline)) {
          v = claimOnce(both, token); // a last look, in case a signal was lost with a pub/sub reconnect
          if (isHeld(v)) {
            throw new StoreUnavailableException("This secret is being opened by another request that has not "
                + "finished; try again in a moment.");
          }
          return v;
        }
      }
    }
  }

  /** Releases a claim this vault holds and does not want; if Redis does not answer, the resolver keeps trying. */
  private void giveBack(byte[][] head, byte[] token) {
    try {
      // confirmed on the replicas like the claim it undoes: a failover right after must not bring the claim back,
      // or the secret would count as opened when its lease ends (a wrong key must cost nothing)
      api.evalAcknowledged(RELEASE, ScriptOutputType.INTEGER, head, token);
    } catch (Acknowledged.Shortfall | StoreUnavailableException e) {
      resolver.retry(RELEASE, head, token);
    }
  }

  /**
   * Deletes a head this vault holds, without waiting. If that fails (Redis went away right after answering the
   * claim), the resolver retries until Redis answers, so other openers are not kept waiting for the lease.
   */
  private void purge(String id, byte[][] head, byte[] token) {
    RedisFuture<Long> f;
    byte[] now = KeyLayout.ascii(clock.millis()); // when it was opened, also when a retry gets it done later
    try {
      f = api.issue(c -> c.evalsha(PURGE.sha(), ScriptOutputType.INTEGER, head, token, now));
    } catch (StoreUnavailableException e) {
      resolver.retry(PURGE, head, token, now);
      return;
    }
    f.whenComplete((done, failure) -> {
      if (failure != null) { // NOSCRIPT after a Redis restart too: the retry falls back to EVAL
        resolver.retry(PURGE, head, token, now);
      } else if (done != null && done == 2) {
        recorded.accept(id); // an opening was recorded for a subscribed secret (issue 22)
      }
    });
  }

  /**
   * Finishes what a claimer could not: gives back claims whose answer was lost ({@code release.lua}) and deletes
   * delivered heads whose purge failed ({@code purge.lua}), retrying every 100 ms until Redis answers (a give-back:
   * until its replicas confirm it) or the lease is over. One daemon thread, started on first use.
   */
  private final class Resolver {
    private java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledExecutorService executor;

    synchronized void retry(Script script, byte[][] head, byte[]... args) {
      if (executor == null) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "onetimeshare-redis-resolve");
          t.setDaemon(true);
          return t;
        });
      }
      if (!executor.isShutdown()) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs);
        executor.execute(() -> attempt(script, head, args, until));
      }
    }

    private void attempt(Script script, byte[][] head, byte[][] args, long until) {
      if (script != PURGE) {
        // a give-back (and a withdrawn create) must reach the replicas like the change it undoes (issue 35): one
        // taken only by a primary that is then cut off and replaced leaves the claim on the promoted replica, where
        // its lease ends as an opening, and the secret nobody received is lost. Sent without blocking this thread:
        // during a failover there are many, each waiting up to the replica timeout, and all must be retried within
        // the lease.
        var unused = api.evalAcknowledgedAsync(script, ScriptOutputType.INTEGER, head, args).whenComplete((r, t) -> {
          if (t != null && System.nanoTime() - until < 0) {
            schedule(() -> attempt(script, head, args, until));
          }
        });
        return;
      }
      // a purge needs no wait: one that a failover loses leaves a claim whose lease ends as the opening it was
      try {
        Long r = api.eval(script, ScriptOutputType.INTEGER, head, args);
        if (r != null && r == 2) {
          recorded.accept(KeyLayout.idOf(head[0])); // see purge(): an opening was recorded
        }
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() - until < 0) {
          schedule(() -> attempt(script, head, args, until));
        }
      }
    }

    private synchronized void schedule(Runnable r) {
      ScheduledExecutorService e = executor; // created by retry() before anything is scheduled
      if (e != null && !e.isShutdown()) {
        var unused = e.schedule(r, 100, TimeUnit.MILLISECONDS);
      }
    }

    synchronized void close() {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  void close() {
    resolver.close();
  }
}
