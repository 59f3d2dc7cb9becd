package io.onetimeshare.servlet.notify;

import io.onetimeshare.spi.Delivery;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who gets the notifier's workers (issue 36, finding 2). The operator's endpoints share {@code workers}, one endpoint
 * at most half; the senders' callbacks (anyone's URL) have {@code callbackWorkers} of their own, one host at most
 * half of those, so no sender can take a worker from the endpoints. A receiver is an endpoint by name, or a callback
 * by its host in lower case without a final dot (the sender picks the spelling: {@code A.evil}, {@code a.evil.} and
 * {@code a.evil} are one); a name and its address are two, which the callbacks' own workers bound together.
 * Deliveries taken for a receiver at its share wait in its queue (at most its share again); one that waited so long
 * that its lease could end mid-attempt is handed back untried.
 */
final class WorkerShares {
  /** Workers one kind of receiver may hold together. */
  private static final class Group {
    final Semaphore permits;

    Group(int n) {
      permits = new Semaphore(n);
    }
  }

  /** A delivery taken from the outbox, and when. */
  private record Taken(Delivery delivery, long at) { }

  /** A receiver's share of its group's workers, and the deliveries taken for it that wait for a worker. */
  private final class Target {
    final Group group;
    final int cap;
    final Semaphore permits;
    final ConcurrentLinkedQueue<Taken> waiting = new ConcurrentLinkedQueue<>();
    final AtomicInteger queued = new AtomicInteger();

    Target(Group group, int cap) {
      this.group = group;
      this.cap = cap;
      this.permits = new Semaphore(cap);
    }

    /** Starts waiting deliveries while this receiver and its group have workers left. */
    void drain() {
      while (!waiting.isEmpty()) {
        if (!permits.tryAcquire()) {
          return;
        }
        if (!group.permits.tryAcquire()) {
          permits.release();
          return;
        }
        Taken d = waiting.poll();
        if (d == null) {
          group.permits.release();
          permits.release();
          return;
        }
        queued.decrementAndGet();
        inQueue.decrementAndGet();
        if (System.nanoTime() - d.at() > waitLimitNanos) {
          group.permits.release();
          permits.release();
          postpone.accept(d.delivery());
          continue;
        }
        run.accept(d.delivery(), () -> done(this));
      }
    }

    boolean idle() {
      return waiting.isEmpty() && permits.availablePermits() == cap;
    }
  }

  private final Group endpoints;
  private final Group callbacks;
  private final int perEndpoint;
  private final int perCallback;
  private final long waitLimitNanos;
  private final BiConsumer<Delivery, Runnable> run;
  private final Consumer<Delivery> postpone;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final AtomicInteger inQueue = new AtomicInteger();

  /**
   * @param run starts an attempt on a worker and calls the runnable when it ended (or was refused)
   * @param postpone hands a delivery back to the outbox untried
   */
  WorkerShares(int workers, int callbackWorkers, long waitLimitNanos, BiConsumer<Delivery, Runnable> run,
      Consumer<Delivery> postpone) {
    this.endpoints = new Group(workers);
    this.callbacks = new Group(callbackWorkers);
    this.perEndpoint = Math.max(1, workers / 2);
    this.perCallback = Math.max(1, callbackWorkers / 2);
    this.waitLimitNanos = waitLimitNanos;
    this.run = run;
    this.postpone = postpone;
  }

  /** Queues {@code d} for receiver {@code key} and starts what may start; false when its queue is full. */
  boolean offer(Delivery d, String key, long takenAt) {
    boolean callback = d.target().isCallback();
    Target t = targets.computeIfAbsent(key, k -> callback ? new Target(callbacks, perCallback)
        : new Target(endpoints, perEndpoint));
    if (t.queued.get() >= t.cap) {
      return false;
    }
    t.queued.incrementAndGet();
    inQueue.incrementAndGet();
    t.waiting.add(new Taken(d, takenAt));
    t.drain();
    return true;
  }

  private void done(Target t) {
    t.group.permits.release();
    t.permits.release();
    t.drain();
    if (t.group == callbacks) { // a worker of the shared group came free: any callback's queue may use it
      for (Target o : targets.values()) {
        if (o.group == callbacks && o != t) {
          o.drain();
        }
      }
    }
  }

  void drainAll() {
    for (Target t : targets.values()) {
      t.drain();
    }
  }

  /** Forgets receivers with nothing under way (only the delivery loop adds, so none gains work meanwhile). */
  void prune() {
    targets.values().removeIf(Target::idle);
  }

  /** Deliveries waiting in queues. */
  int queued() {
    return inQueue.get();
  }

  /** Receivers tracked now. */
  int size() {
    return targets.size();
  }

  /** The receiver a delivery counts against (see the class comment). */
  static String key(Delivery d) {
    if (!d.target().isCallback()) {
      return "endpoint:" + d.target().name();
    }
    String url = Objects.requireNonNull(d.target().url());
    try {
      String host = java.net.URI.create(url).getHost();
      if (host == null) {
        return "callback:?";
      }
      host = host.toLowerCase(java.util.Locale.ROOT);
      return "callback:" + (host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
    } catch (IllegalArgumentException e) {
      return "callback:?";
    }
  }
}
