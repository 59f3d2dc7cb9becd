package io.onetimeshare.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import io.onetimeshare.spi.Delivery;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import io.onetimeshare.spi.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Redis vault's outbox (issue 22). Events are recorded by the scripts that change a secret's state, in the
 * secret's own hash slot ({@code <id>:ev}, see {@code events.lua}), so recording is atomic with the change on a single
 * node and on a Cluster alike. Which secrets to look at is an index, {@code {<prefix>:outbox}} (a sorted set in one
 * slot: id, when to look next): a subscribed secret enters it before it is stored (scored at its expiry, so its end is
 * seen even if no request touches it and every instance restarts), and is moved to "now" after a script recorded an
 * event. Any instance sweeps it: {@code outbox-take.lua} records the ends nobody saw (expiry, an opening whose claimer
 * vanished) and leases due deliveries, each lease checked by the acknowledgement. The index is a schedule, not the
 * record: an instance dying between an event and its move delays that delivery to the secret's expiry, never loses it.
 */
final class RedisOutbox implements EventOutbox {
  private static final Script MARK = Script.load("outbox-mark.lua");
  private static final Script TAKE = Script.load("outbox-take.lua");
  private static final Script DONE = Script.load("outbox-done.lua");
  private static final Script SETTLE = Script.load("outbox-settle.lua");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Waiting entries older than this are counted as gone (their event hash expired after two days). */
  private static final long FORGOTTEN_MS = Duration.ofDays(2).toMillis();

  private final RedisApi api;
  private final KeyLayout keys;
  private final Clock clock;

  RedisOutbox(RedisApi api, KeyLayout keys, Clock clock) {
    this.api = api;
    this.keys = keys;
    this.clock = clock;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Puts a subscribed secret in the index at its expiry (before it is stored: a failed store leaves an entry the sweep drops). */
  void watch(String id, long expiresMs) {
    // confirmed on the replicas before the secret is stored: its events are never out of the sweep's sight
    api.evalConfirmed(MARK, ScriptOutputType.INTEGER, io.onetimeshare.StoreUnavailableException.Effect.NOT_STORED,
        new byte[][] {keys.outboxIndex(), keys.outboxWaiting()}, b(id), KeyLayout.ascii(expiresMs), b("0"));
  }

  /**
   * A script recorded an event for {@code id}: look at it now. Waits for Redis (and its replicas); a failure leaves the
   * event to the entry {@link #watch} made at the secret's expiry, and one more try without waiting.
   */
  void recorded(String id) {
    lookAt(id, clock.millis(), true);
  }

  /**
   * The sweep looks at {@code id} at {@code atMs} at the latest, confirmed on the replicas (an opening whose clean-up
   * a failover lost is then announced when the claim's lease has ended, not at the secret's expiry).
   */
  void lookAt(String id, long atMs, boolean recorded) {
    try {
      api.evalAcknowledged(MARK, ScriptOutputType.INTEGER, new byte[][] {keys.outboxIndex(), keys.outboxWaiting()},
          b(id), KeyLayout.ascii(atMs), b(recorded ? "1" : "0"));
    } catch (io.onetimeshare.redis.internal.Acknowledged.Shortfall | io.onetimeshare.StoreUnavailableException e) {
      // the change itself stands: the mark is retried in the background until Redis takes it (and the entry at the
      // secret's expiry brings the event out if even that fails)
      later.retry(MARK, new byte[][] {keys.outboxIndex(), keys.outboxWaiting()}, b(id), KeyLayout.ascii(atMs),
          b(recorded ? "1" : "0"));
    }
  }

  /** Runs a script again in the background until Redis takes it (the vault's claim resolver). */
  interface Later {
    void retry(Script script, byte[][] keys, byte[]... args);
  }

  private volatile Later later = (script, k, args) -> { };

  void retryWith(Later later) {
    this.later = later;
  }

  /**
   * As {@link #recorded}, without waiting: for Lettuce's own threads (a purge's completion), which must never wait
   * for Redis. If it is lost, the secret's entry at its expiry still brings the event out.
   */
  List<io.lettuce.core.RedisFuture<Long>> recordedWithoutWaiting(String id) {
    long now = clock.millis();
    return List.of(api.issue(c -> c.zadd(keys.outboxIndex(), ZAddArgs.Builder.lt(), (double) now, b(id))),
        api.issue(c -> c.zadd(keys.outboxWaiting(), ZAddArgs.Builder.nx(), (double) now, b(id))));
  }

  /** The sweep looks at {@code id} at {@code atMs} at the latest; sent without waiting (a best effort). */
  void lookAtWithoutWaiting(String id, long atMs) {
    try {
      var unused = api.issue(c -> c.zadd(keys.outboxIndex(), ZAddArgs.Builder.lt(), (double) atMs, b(id)));
    } catch (io.onetimeshare.StoreUnavailableException e) {
      // the entry at its expiry still brings the event out
    }
  }

  @Override
  public List<Delivery> take(int max, Duration lease) {
    long now = clock.millis();
    List<ScoredValue<byte[]>> due = api.call(c -> c.zrangebyscoreWithScores(keys.outboxIndex(),
        Range.create(Double.NEGATIVE_INFINITY, (double) now), Limit.create(0, Math.max(1, max))));
    List<Delivery> out = new ArrayList<>();
    byte[] leaseId = new byte[12];
    RANDOM.nextBytes(leaseId);
    String holder = HexFormat.of().formatHex(leaseId);
    for (ScoredValue<byte[]> e : due) {
      if (out.size() >= max) {
        break;
      }
      String id = new String(e.getValue(), StandardCharsets.UTF_8);
      List<Object> r = api.eval(TAKE, ScriptOutputType.MULTI, keys.stateKeys(id), KeyLayout.ascii(now), b(holder),
          KeyLayout.ascii(lease.toMillis()), KeyLayout.ascii(max - out.size()));
      long next = KeyLayout.num(r.get(0));
      api.eval(SETTLE, ScriptOutputType.INTEGER, new byte[][] {keys.outboxIndex()}, e.getValue(),
          KeyLayout.ascii((long) e.getScore()), KeyLayout.ascii(next));
      Subscription sub = Subscription.decode(new String((byte[]) r.get(1), StandardCharsets.UTF_8));
      @SuppressWarnings("unchecked")
      List<Object> fields = (List<Object>) r.get(2);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String field = new String((byte[]) fields.get(i), StandardCharsets.UTF_8);
        String[] v = new String((byte[]) fields.get(i + 1), StandardCharsets.US_ASCII).split(",");
        EventType type = EventType.ofCode(field.charAt(0));
        String name = field.substring(2);
        NotifyTarget target = sub.target(name).orElseGet(() -> NotifyTarget.endpoint(name, java.util.Set.of(type)));
        out.add(new Delivery(id, type, Instant.ofEpochMilli(Long.parseLong(v[1])),
            Instant.ofEpochMilli(Long.parseLong(v[2])), target, Integer.parseInt(v[0]), holder));
      }
    }
    return out;
  }

  private static String field(Delivery d) {
    return d.type().code() + "|" + d.target().name();
  }

  @Override
  public void ack(Delivery d) {
    Long left = api.eval(DONE, ScriptOutputType.INTEGER, new byte[][] {keys.events(d.secretId())}, b(field(d)),
        b(d.lease()));
    if (left != null && left == 0) {
      api.call(c -> c.zrem(keys.outboxWaiting(), b(d.secretId())));
    }
  }

  @Override
  public void retry(Delivery d, Instant at) {
    reschedule(d, at, 1);
  }

  @Override
  public void postpone(Delivery d, Instant at) {
    reschedule(d, at, 0);
  }

  private void reschedule(Delivery d, Instant at, int raise) {
    Long left = api.eval(DONE, ScriptOutputType.INTEGER, new byte[][] {keys.events(d.secretId())}, b(field(d)),
        b(d.lease()), KeyLayout.ascii(at.toEpochMilli()), KeyLayout.ascii(raise));
    if (left != null && left >= 0) {
      api.call(c -> c.zadd(keys.outboxIndex(), ZAddArgs.Builder.lt(), (double) at.toEpochMilli(), b(d.secretId())));
    }
  }

  @Override
  public Backlog backlog() {
    long now = clock.millis();
    api.call(c -> c.zremrangebyscore(keys.outboxWaiting(), Range.create(Double.NEGATIVE_INFINITY,
        (double) (now - FORGOTTEN_MS))));
    Long n = api.call(c -> c.zcard(keys.outboxWaiting()));
    List<ScoredValue<byte[]>> first = api.call(c -> c.zrangeWithScores(keys.outboxWaiting(), 0, 0));
    if (n == null || n == 0 || first.isEmpty()) {
      return Backlog.EMPTY;
    }
    return new Backlog(n, Instant.ofEpochMilli((long) first.get(0).getScore()));
  }
}
