package io.onetimeshare.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.onetimeshare.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Which primary the Sentinels name now (issue 35). Every Sentinel is asked {@code SENTINEL MASTER name} every
 * {@code interval}, and the answer with the highest configuration epoch wins: a Sentinel cut off from the others
 * still names the old primary with the old epoch, and loses. The store believes a replica count only from the
 * primary named now, and only while some Sentinel answered within {@link #STALE}; it moves its connections when the
 * name changes. A poll never waits longer than {@code interval} on a Sentinel that does not answer.
 */
final class SentinelWatch implements AutoCloseable {
  /** How old the last answer from any Sentinel may be for the named primary to be believed. */
  static final Duration STALE = Duration.ofSeconds(3);

  /** The primary as the Sentinels name it. */
  record Named(String host, int port, long epoch, int replicas) {
    String address() {
      return host + ":" + port;
    }
  }

  private final RedisClient client;
  private final List<RedisURI> sentinels;
  private final String master;
  private final Duration interval;
  private final List<java.util.concurrent.@Nullable CompletableFuture<StatefulRedisSentinelConnection<String, String>>>
      connections = new ArrayList<>();
  private final List<Consumer<Named>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor;
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private volatile @Nullable Named named;
  private volatile long answeredAt;

  SentinelWatch(RedisClient client, List<RedisURI> sentinels, String master, Duration interval) {
    this.client = client;
    this.sentinels = List.copyOf(sentinels);
    this.master = master;
    this.interval = interval;
    for (int i = 0; i < sentinels.size(); i++) {
      connections.add(null);
    }
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "onetimeshare-redis-sentinels");
      t.setDaemon(true);
      return t;
    });
  }

  /** Asks the Sentinels once, waiting up to {@code wait}, then keeps asking in the background. */
  Named start(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      poll();
      Named n = named;
      if (n != null) {
        break;
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new StoreUnavailableException("No Sentinel named a primary for '" + master + "' within "
            + wait.toMillis() + " ms.");
      }
      sleep(100);
    }
    var unused = executor.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return java.util.Objects.requireNonNull(named);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void onChange(Consumer<Named> listener) {
    listeners.add(listener);
  }

  /** The primary named now, if some Sentinel answered recently. */
  @Nullable Named current() {
    return System.nanoTime() - answeredAt < STALE.toNanos() ? named : null;
  }

  /** Something suggested a failover: ask again now rather than at the next interval. */
  void pollSoon() {
    if (pollQueued.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          pollQueued.set(false);
          pollQuietly();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pollQueued.set(false); // closed
      }
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // the next poll tries again
    }
  }

  /**
   * One round over every Sentinel, sent together, awaited at most one interval (at least 200 ms). It holds this
   * object's monitor while it waits for Lettuce, which is safe here: it runs on the watch's own thread (and once in
   * {@link #start} before that thread begins), no Lettuce callback and no listener ever takes this monitor, and the
   * only other holder, {@link #close}, runs on the caller's thread and waits at most one bounded round.
   */
  private synchronized void poll() {
    List<@Nullable RedisFuture<Map<String, String>>> asked = new ArrayList<>();
    for (int i = 0; i < sentinels.size(); i++) {
      asked.add(ask(i));
    }
    long deadline = System.nanoTime() + Math.max(200, interval.toMillis()) * 1_000_000L;
    Named best = null;
    boolean answered = false;
    for (var f : asked) {
      if (f == null) {
        continue;
      }
      try {
        Map<String, String> m = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        answered = true;
        String ip = m.get("ip");
        String port = m.get("port");
        if (ip == null || port == null) {
          continue;
        }
        Named n = new Named(ip, Integer.parseInt(port),
            Long.parseLong(m.getOrDefault("config-epoch", "0")), Integer.parseInt(m.getOrDefault("num-slaves", "0")));
        if (best == null || n.epoch() > best.epoch()) {
          best = n;
        }
      } catch (Exception e) {
        f.cancel(true);
      }
    }
    if (!answered || best == null) {
      return;
    }
    answeredAt = System.nanoTime();
    Named before = named;
    if (before == null || !before.address().equals(best.address()) || before.epoch() < best.epoch()) {
      named = best;
      if (before != null && !before.address().equals(best.address())) {
        for (Consumer<Named> l : listeners) {
          try {
            l.accept(best);
          } catch (RuntimeException e) {
            // a listener's failure must not stop the watch
          }
        }
      }
    }
  }

  /** Connections are made without waiting: a Sentinel that drops packets must not hold up the others. */
  private @Nullable RedisFuture<Map<String, String>> ask(int i) {
    try {
      var f = connections.get(i);
      if (f == null || f.isCompletedExceptionally() || (f.isDone() && !f.join().isOpen())) {
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
          var unusedClose = f.join().closeAsync();
        }
        f = client.connectSentinelAsync(StringCodec.UTF8, sentinels.get(i)).toCompletableFuture();
        connections.set(i, f);
      }
      if (!f.isDone()) {
        return null; // still connecting; asked next time
      }
      return f.join().async().master(master);
    } catch (RuntimeException e) {
      return null; // not reachable now; asked again next time
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    synchronized (this) {
      for (var f : connections) {
        if (f != null) {
          var unusedClose = f.thenAccept(c -> {
            var unused = c.closeAsync();
          });
        }
      }
    }
  }
}
