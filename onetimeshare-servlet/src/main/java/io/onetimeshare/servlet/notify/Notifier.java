package io.onetimeshare.servlet.notify;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.Delivery;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.EventType;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;

/**
 * Delivers the events a vault recorded (issue 22): takes them from the {@link EventOutbox} under a lease, POSTs each
 * to its endpoint or the sender's callback signed as Standard Webhooks specify, acknowledges what a receiver took
 * (any 2xx), and reschedules the rest with exponential backoff and jitter for about a day ({@link #SCHEDULE}), then
 * drops it and counts it. Any number of instances may run on one store: a delivery is held by one at a time, and one
 * that dies holding it hands it on when its lease ends. A slow or dead receiver holds at most half the workers, so the
 * others' events keep moving; the senders' callbacks have workers of their own (half as many again), a quarter of
 * them per callback host, so no sender's URLs take a worker from the operator's endpoints; every attempt ends by its
 * timeout whatever the receiver does; requests to the server are never touched (it runs on its own threads).
 *
 * <p>Every attempt checks its URL against the {@link AddressPolicy} with a fresh DNS answer and connects to the
 * checked address; a URL refused at delivery (its name now points somewhere it must not) is dropped at once.
 *
 * @since 0.3
 */
public final class Notifier implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
  private static final SecureRandom JITTER = new SecureRandom();

  /**
   * When attempts happen after the first fails: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h (about 24 h in
   * all, each within 20% either way); 11 attempts, then the event is dropped.
   */
  public static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
      Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(8));

  /** What became of one attempt (for metrics; never a secret, a key or a URL). */
  public enum Outcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** The attempt failed (an error status, a timeout, no connection); it is tried again later. */
    FAILED,
    /** The last attempt failed: the event is dropped. */
    DROPPED,
    /** The URL is refused (its address, scheme or port; an endpoint no longer configured): dropped at once. */
    REFUSED
  }

  /** Told of every attempt; must be quick and must not throw. */
  @FunctionalInterface
  public interface Listener {
    /**
     * One attempt ended.
     *
     * @param target the endpoint's name, or {@code callback}
     * @param type the event
     * @param outcome what became of it
     * @param took how long the attempt took
     */
    void attempted(String target, EventType type, Outcome outcome, Duration took);
  }

  private final EventOutbox outbox;
  private final Map<String, WebhookEndpoint> endpoints;
  private final AddressPolicy policy;
  private final Poster poster;
  private final Clock clock;
  private final Duration attemptTimeout;
  private final Duration poll;
  private final List<Duration> schedule;
  private final Listener listener;
  private final int workers;
  private final int callbackWorkers;
  private final WorkerShares shares;
  private final Duration lease;
  private final ScheduledExecutorService loop;
  private final ExecutorService pool;
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicReference<EventOutbox.Backlog> backlog = new AtomicReference<>(EventOutbox.Backlog.EMPTY);
  private volatile long backlogAt;

  private Notifier(Builder b) {
    this.outbox = b.outbox;
    this.endpoints = Map.copyOf(b.endpoints);
    this.policy = b.policy;
    this.poster = new Poster(b.tls, b.maxResponseBytes);
    this.clock = b.clock;
    this.attemptTimeout = b.attemptTimeout;
    this.poll = b.poll;
    this.schedule = List.copyOf(b.schedule);
    this.listener = b.listener;
    this.workers = b.workers;
    this.callbackWorkers = Math.max(1, b.workers / 2);
    // the lease outlasts an attempt (which the poster's watchdog ends at its timeout) with room to spare, so a
    // delivery is never held by two instances at once; one that waited in a queue so long that an attempt begun now
    // could outlive the lease is handed back instead
    this.lease = attemptTimeout.multipliedBy(3).plusSeconds(10);
    this.shares = new WorkerShares(workers, callbackWorkers, lease.minus(attemptTimeout).minusSeconds(5).toNanos(),
        this::run, this::postpone);
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "onetimeshare-notify"));
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers + callbackWorkers,
        r -> thread(r, "onetimeshare-notify-" + n.incrementAndGet()));
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public static Builder builder(EventOutbox outbox) {
    return new Builder(outbox);
  }

  /** Starts taking and delivering events; returns this. */
  public Notifier start() {
    var unused = loop.scheduleWithFixedDelay(this::round, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The outbox's backlog as last seen (refreshed at most every 5 s by the delivery loop). */
  public EventOutbox.Backlog backlog() {
    EventOutbox.Backlog b = backlog.get();
    return b == null ? EventOutbox.Backlog.EMPTY : b;
  }

  private void run(Delivery d, Runnable done) {
    busy.incrementAndGet();
    try {
      pool.execute(() -> {
        try {
          attempt(d);
        } finally {
          busy.decrementAndGet();
          done.run();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      busy.decrementAndGet();
      done.run();
    }
  }

  private void postpone(Delivery d) {
    try {
      outbox.postpone(d, clock.instant().plusSeconds(1));
    } catch (RuntimeException e) {
      // the store is down: the lease ends and the delivery is taken again
    }
  }

  private void round() {
    try {
      long now = System.nanoTime();
      if (now - backlogAt > TimeUnit.SECONDS.toNanos(5)) {
        backlogAt = now;
        backlog.set(outbox.backlog());
      }
      shares.drainAll();
      // a receiver seen no more holds nothing (issue 36, finding 12: one entry per callback host, never pruned)
      shares.prune();
      // room for twice the workers: half running, half waiting for their receiver's share
      int free = 2 * (workers + callbackWorkers) - busy.get() - shares.queued();
      if (free <= 0) {
        return;
      }
      long taken = System.nanoTime();
      for (Delivery d : outbox.take(free, lease)) {
        if (!shares.offer(d, WorkerShares.key(d), taken)) {
          // this receiver has its share and a queue: hand it back untried, so others' events come first
          postpone(d);
        }
      }
    } catch (RuntimeException e) { // the store is down: try again next round
      LOG.log(System.Logger.Level.WARNING, "Taking notifications from the store failed: {0}", e.getMessage());
    }
  }

  /** How many receivers hold workers or queued deliveries now (tests: the map is pruned as they go idle). */
  int receiversTracked() {
    return shares.size();
  }

  private void attempt(Delivery d) {
    long start = System.nanoTime();
    String target = d.target().name();
    byte[] key;
    String url;
    if (d.target().isCallback()) {
      url = Objects.requireNonNull(d.target().url());
      key = Objects.requireNonNull(d.target().signingSecret());
    } else {
      WebhookEndpoint e = endpoints.get(target);
      if (e == null) {
        finish(d, Outcome.REFUSED, start, "no endpoint of this name is configured any more");
        return;
      }
      url = e.url();
      key = e.signingKey();
    }
    AddressPolicy.Checked to;
    try {
      to = policy.check(url);
    } catch (InvalidArgumentException e) {
      finish(d, Outcome.REFUSED, start, e.getMessage());
      return;
    }
    byte[] body = Signing.payload(d);
    Map<String, String> headers = Signing.headers(key, d.eventId(), clock.instant().getEpochSecond(), body);
    java.util.Arrays.fill(key, (byte) 0);
    String why;
    try {
      int status = poster.post(to, headers, body, start + attemptTimeout.toNanos());
      if (status >= 200 && status < 300) {
        finish(d, Outcome.DELIVERED, start, null);
        return;
      }
      why = "answered " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    } catch (IOException | RuntimeException e) {
      why = Poster.describe(e); // the JDK's text names hosts (issue 36, finding 12): the log gets the kind of failure
    }
    if (d.attempt() >= schedule.size()) {
      finish(d, Outcome.DROPPED, start, why);
    } else {
      Duration wait = schedule.get(d.attempt());
      long ms = wait.toMillis();
      long jittered = ms + (long) ((JITTER.nextDouble() * 0.4 - 0.2) * ms);
      try {
        outbox.retry(d, clock.instant().plusMillis(jittered));
      } catch (RuntimeException e) {
        // the store is down: the lease ends and the delivery is taken again
      }
      report(d, Outcome.FAILED, start);
      LOG.log(System.Logger.Level.INFO, "Notification {0} ({1}) to {2} failed, attempt {3}: {4}", d.eventId(),
          d.eventName(), target, d.attempt() + 1, why);
    }
  }

  private void finish(Delivery d, Outcome outcome, long start, @org.jspecify.annotations.Nullable String why) {
    try {
      outbox.ack(d);
    } catch (RuntimeException e) {
      // the store is down: the lease ends and the delivery is taken again (delivered at least once)
    }
    report(d, outcome, start);
    if (outcome != Outcome.DELIVERED) {
      LOG.log(System.Logger.Level.WARNING, "Notification {0} ({1}) to {2} {3}: {4}", d.eventId(),
          d.eventName(), d.target().name(), outcome == Outcome.DROPPED ? "dropped after its last attempt"
              : "refused", why);
    }
  }

  private void report(Delivery d, Outcome outcome, long start) {
    try {
      listener.attempted(d.target().name(), d.type(), outcome, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException ignored) {
      // a listener must not stop deliveries
    }
  }

  /** Stops taking events; attempts under way get up to their timeout to finish. */
  @Override
  public void close() {
    loop.shutdownNow();
    pool.shutdown();
    try {
      if (!pool.awaitTermination(attemptTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link Notifier}. */
  public static final class Builder {
    private final EventOutbox outbox;
    private final Map<String, WebhookEndpoint> endpoints = new LinkedHashMap<>();
    private AddressPolicy policy = AddressPolicy.STRICT;
    private SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
    private Clock clock = Clock.systemUTC();
    private Duration attemptTimeout = Duration.ofSeconds(10);
    private Duration poll = Duration.ofMillis(500);
    private List<Duration> schedule = SCHEDULE;
    private Listener listener = (t, e, o, d) -> { };
    private int workers = 4;
    private int maxResponseBytes = 8192;

    private Builder(EventOutbox outbox) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** An operator endpoint (its events must also be given to the facade: {@code notifyEndpoints}). */
    public Builder endpoint(WebhookEndpoint e) {
      endpoints.put(e.name(), e);
      return this;
    }

    /** Where webhooks may go. Default {@link AddressPolicy#STRICT}. */
    public Builder policy(AddressPolicy p) {
      this.policy = Objects.requireNonNull(p, "policy");
      return this;
    }

    /** The TLS socket factory (default: the JVM's, verifying against its trust store). */
    public Builder tls(SSLSocketFactory f) {
      this.tls = Objects.requireNonNull(f, "tls");
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** How long one attempt may take, connection, TLS and answer together. Default 10 s. */
    public Builder attemptTimeout(Duration d) {
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new InvalidArgumentException("The attempt timeout must be above 0 and at most a minute.");
      }
      this.attemptTimeout = d;
      return this;
    }

    /** How often the outbox is asked for due events. Default 500 ms. */
    public Builder pollInterval(Duration d) {
      if (d.toMillis() < 10) {
        throw new InvalidArgumentException("The poll interval must be at least 10 ms.");
      }
      this.poll = d;
      return this;
    }

    /** The waits between attempts (default {@link #SCHEDULE}); tests shorten it. */
    public Builder schedule(List<Duration> waits) {
      this.schedule = List.copyOf(waits);
      return this;
    }

    public Builder listener(Listener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * Attempts at once to the operator's endpoints (default 4; one endpoint holds at most half); the senders'
     * callbacks get half as many more of their own, one host at most half of those.
     */
    public Builder workers(int n) {
      if (n < 1 || n > 64) {
        throw new InvalidArgumentException("Workers must be 1 to 64.");
      }
      this.workers = n;
      return this;
    }

    public Notifier build() {
      return new Notifier(this);
    }
  }
}
