package io.onetimeshare.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How an opener that finds a secret held by another claimer learns that the claim ended, without polling: the
 * scripts that end a claim someone waits for ({@code release.lua}, {@code purge.lua}, {@code delete.lua}) publish on
 * the channel {@code <head key>:w}, and the waiter, subscribed on the store's one pub/sub connection, wakes and claims
 * again. Only contended claims subscribe, so an uncontended open costs nothing here.
 *
 * <p>A message is at most once: one lost while the pub/sub connection reconnects is made up for by waking every
 * waiter of a channel when Lettuce subscribes it again, and the waiter's own deadline (the store's timeout) bounds
 * the wait in any case, after which it claims one last time.
 */
final class ClaimSignals implements AutoCloseable {
  private final Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connector;
  /** Read lock-free by the listener on Lettuce's event loop; changed only under {@link #membership}. */
  private final Map<ByteBuffer, Channel> channels = new ConcurrentHashMap<>();
  /**
   * Orders subscribes and unsubscribes of one channel and guards the watcher counts. Lettuce's callbacks never take
   * it (they only read {@link #channels}), so sending a command under it cannot deadlock with the event loop; nothing
   * ever waits for Lettuce (a connect, an await, a close) while holding it.
   */
  private final Object membership = new Object();
  private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private volatile boolean closed;

  ClaimSignals(Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connector) {
    this.connector = connector;
  }

  /**
   * One channel's waiters: a count of wake-ups they wait to change, and how many watch it. Its monitor is held only
   * to read or bump the count (never while calling anything), so the listener that bumps it never blocks for long.
   */
  private static final class Channel {
    long wakes;
    int watchers; // guarded by membership
    @Nullable RedisFuture<Void> subscription; // guarded by membership; the SUBSCRIBE the first watcher sent

    synchronized void wake() {
      wakes++;
      notifyAll();
    }

    synchronized long wakes() {
      return wakes;
    }
  }

  /** A subscription held while one claimer waits; closing it unsubscribes when no one else waits on the channel. */
  final class Watch implements AutoCloseable {
    private final byte[] name;
    private final Channel channel;
    private long seen;

    private Watch(byte[] name, Channel channel) {
      this.name = name;
      this.channel = channel;
      this.seen = channel.wakes();
    }

    /**
     * Waits until the channel is signalled after the watch began or after the last return of this method, or the
     * deadline ({@link System#nanoTime()}) passes. Returns false at the deadline.
     */
    boolean await(long deadlineNanos) {
      synchronized (channel) {
        while (channel.wakes == seen) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(channel, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for another open of the same secret.", e);
          }
        }
        seen = channel.wakes;
        return true;
      }
    }

    @Override
    public void close() {
      release(name, channel);
    }
  }

  /**
   * Subscribes to {@code name} (or joins the subscription another waiter holds) and returns once Redis confirmed it,
   * so anything published afterwards reaches the watch. Bounded by {@code api}'s timeout.
   */
  Watch watch(byte[] name, RedisApi api) {
    StatefulRedisPubSubConnection<byte[], byte[]> c = connection(); // connects outside every lock
    Channel channel;
    Watch w;
    RedisFuture<Void> subscription;
    synchronized (membership) {
      if (closed) {
        throw new StoreUnavailableException("The Redis store is closed.");
      }
      channel = channels.computeIfAbsent(ByteBuffer.wrap(name.clone()), k -> new Channel());
      w = new Watch(name, channel);
      if (channel.watchers++ == 0) {
        try {
          // sent (not awaited) under the lock so that it is ordered with this channel's unsubscribes
          channel.subscription = c.async().subscribe(name);
        } catch (RedisException e) {
          releaseLocked(name, channel);
          throw RedisApi.unavailable(e);
        }
      }
      subscription = Objects.requireNonNull(channel.subscription, "subscription");
    }
    try {
      api.await(subscription); // outside the lock: the event loop may need to run listeners meanwhile
    } catch (RuntimeException e) {
      w.close();
      throw RedisApi.unavailable(e);
    }
    return w;
  }

  private void release(byte[] name, Channel channel) {
    synchronized (membership) {
      releaseLocked(name, channel);
    }
  }

  private void releaseLocked(byte[] name, Channel channel) {
    if (--channel.watchers == 0) {
      channels.remove(ByteBuffer.wrap(name));
      StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
      if (c != null && !closed) {
        try {
          var unused = c.async().unsubscribe(name); // not awaited: a late message for it finds no channel
        } catch (RedisException e) {
          // disconnected: Lettuce re-subscribes only what is still subscribed, and this no longer is
        }
      }
    }
  }

  /**
   * The pub/sub connection, made on first use. The connect waits for Lettuce's event loop, so it runs under no lock;
   * two callers racing here may both connect, and the loser closes its spare connection, also under no lock.
   */
  private StatefulRedisPubSubConnection<byte[], byte[]> connection() {
    StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
    if (c != null) {
      return c;
    }
    if (closed) {
      throw new StoreUnavailableException("The Redis store is closed.");
    }
    StatefulRedisPubSubConnection<byte[], byte[]> made;
    try {
      made = connector.get();
    } catch (RuntimeException e) {
      throw RedisApi.unavailable(e);
    }
    made.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] name, byte[] message) {
        wake(name);
      }

      @Override
      public void subscribed(byte[] name, long count) {
        wake(name); // after a reconnect too: whatever was published meanwhile is made up for by one more claim
      }
    });
    StatefulRedisPubSubConnection<byte[], byte[]> spare = null;
    synchronized (membership) {
      if (connection == null && !closed) {
        connection = made;
      } else {
        spare = made;
      }
      c = connection;
    }
    if (spare != null) {
      spare.close();
    }
    if (c == null) {
      throw new StoreUnavailableException("The Redis store is closed.");
    }
    return c;
  }

  /** Runs on Lettuce's event loop: takes no lock of this class's, only the channel's monitor for an increment. */
  private void wake(byte[] name) {
    Channel channel = channels.get(ByteBuffer.wrap(name));
    if (channel != null) {
      channel.wake();
    }
  }

  /**
   * Closes the pub/sub connection, waiting for Lettuce outside every lock (its listener may be running this moment),
   * then wakes every waiter, who claims one last time and finds the store closed.
   */
  @Override
  public void close() {
    StatefulRedisPubSubConnection<byte[], byte[]> c;
    synchronized (membership) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
    for (Channel ch : channels.values()) {
      ch.wake();
    }
  }
}
