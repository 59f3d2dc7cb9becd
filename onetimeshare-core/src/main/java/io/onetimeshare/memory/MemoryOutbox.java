package io.onetimeshare.memory;

import io.onetimeshare.spi.Delivery;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import io.onetimeshare.spi.Subscription;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory vault's outbox: deliveries in a map, under one lock (events are rare next to requests, and nothing
 * outside this class is called while it is held). Lost on restart with everything else the memory vault holds.
 */
final class MemoryOutbox implements EventOutbox {
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Key(String secretId, EventType type, String target) {}

  private static final class Entry {
    final Delivery base;
    Instant due;
    int attempt;
    @Nullable String lease;
    Instant leaseUntil = Instant.EPOCH;

    Entry(Delivery base, Instant due) {
      this.base = base;
      this.due = due;
    }
  }

  /** Asked whether an expired watched secret is gone from the vault (removing it if it is still there, expired). */
  interface Expiries {
    boolean goneAt(String id, Instant now);
  }

  private final Clock clock;
  private final Expiries expiries;
  private final Map<Key, Entry> entries = new LinkedHashMap<>();
  /**
   * Stored secrets (and secret requests, issue 23) whose end someone wants to hear of; removing one is what records its
   * end, exactly once.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Watch> watched =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Watch(String id, Instant expiresAt, Subscription subscription, boolean request) {}

  MemoryOutbox(Clock clock, Expiries expiries) {
    this.clock = clock;
    this.expiries = expiries;
  }

  /** A secret was stored: records its creation and watches for its end, if it is subscribed. */
  void watch(io.onetimeshare.spi.SecretRecord r) {
    if (!r.subscription().isEmpty()) {
      record(r.id(), EventType.CREATED, r.expiresAt(), r.subscription());
      watched.put(r.id(), new Watch(r.id(), r.expiresAt(), r.subscription(), false));
    }
  }

  /** A subscribed request was stored: its expiry is watched (its answer, when stored, takes the watch over). */
  void watchRequest(io.onetimeshare.spi.RequestRecord r) {
    if (!r.subscription().isEmpty()) {
      watched.put(r.id(), new Watch(r.id(), r.expiresAt(), r.subscription(), true));
    }
  }

  /** A withdrawn request: stops watching it, recording nothing (an answer stored under its id keeps its watch). */
  void unwatchRequest(String id) {
    watched.computeIfPresent(id, (k, w) -> w.request() ? null : w);
  }

  /** Records how a watched secret ended, once: whoever removes it from {@code watched} records it. */
  void ended(String id, EventType type) {
    Watch w = watched.remove(id);
    if (w != null) {
      record(id, type, w.expiresAt(), w.subscription());
    }
  }

  /** Records the expiries due by now that Caffeine has not reported yet (its scheduler does, a little later). */
  private void noticeExpiries() {
    Instant now = clock.instant();
    for (Watch w : watched.values()) {
      if (!now.isBefore(w.expiresAt()) && expiries.goneAt(w.id(), now)) {
        ended(w.id(), EventType.EXPIRED);
      }
    }
  }

  /** Records {@code type} for every target of {@code sub} that wants it; a second record of the same is ignored. */
  private synchronized void record(String secretId, EventType type, Instant expiresAt, Subscription sub) {
    Instant now = clock.instant();
    for (NotifyTarget t : sub.targetsFor(type)) {
      Key k = new Key(secretId, type, t.name());
      entries.putIfAbsent(k, new Entry(new Delivery(secretId, type, now, expiresAt, t, 0, "-"), now));
    }
  }

  @Override
  public List<Delivery> take(int max, Duration lease) {
    noticeExpiries();
    synchronized (this) {
      Instant now = clock.instant();
      List<Delivery> out = new ArrayList<>();
      for (Entry e : entries.values()) {
        if (out.size() >= max) {
          break;
        }
        if (e.due.isAfter(now) || (e.lease != null && e.leaseUntil.isAfter(now))) {
          continue;
        }
        e.lease = HexFormat.of().formatHex(randomBytes());
        e.leaseUntil = now.plus(lease);
        Delivery b = e.base;
        out.add(new Delivery(b.secretId(), b.type(), b.occurredAt(), b.expiresAt(), b.target(), e.attempt, e.lease));
      }
      return out;
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private @Nullable Key held(Delivery d) {
    Key k = new Key(d.secretId(), d.type(), d.target().name());
    Entry e = entries.get(k);
    return e != null && d.lease().equals(e.lease) ? k : null;
  }

  @Override
  public synchronized void ack(Delivery d) {
    Key k = held(d);
    if (k != null) {
      entries.remove(k);
    }
  }

  @Override
  public void retry(Delivery d, Instant at) {
    reschedule(d, at, d.attempt() + 1);
  }

  @Override
  public void postpone(Delivery d, Instant at) {
    reschedule(d, at, d.attempt());
  }

  private synchronized void reschedule(Delivery d, Instant at, int attempt) {
    Key k = held(d);
    Entry e = k == null ? null : entries.get(k);
    if (e != null) {
      e.attempt = attempt;
      e.due = at;
      e.lease = null;
    }
  }

  @Override
  public synchronized Backlog backlog() {
    Instant oldest = null;
    for (Entry e : entries.values()) {
      if (oldest == null || e.base.occurredAt().isBefore(oldest)) {
        oldest = e.base.occurredAt();
      }
    }
    return new Backlog(entries.size(), oldest);
  }
}
