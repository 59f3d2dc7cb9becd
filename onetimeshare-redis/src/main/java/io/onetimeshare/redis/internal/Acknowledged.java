package io.onetimeshare.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Changes that return only once Redis has them on the replicas it must (issue 35): the script and {@code WAIT
 * replicas timeout} leave in one flush on a connection of their own, so one round trip still does it, and a
 * {@code WAIT} that blocks (no replica answering) holds up nobody else's commands. Connections are exclusive while
 * used, at most {@code perNode} per primary; one that timed out is closed (Redis then drops its blocked {@code WAIT})
 * instead of being reused.
 *
 * <p>{@code WAIT} counts only writes made on its own connection, and on the same primary every earlier write
 * (another connection's, already answered) sits before this one in the replication stream, so the count covers them
 * too. A count is believed only while the node is still the primary the topology names (Sentinel's current choice, the
 * Cluster's slot owner); otherwise it is a shortfall.
 */
public final class Acknowledged implements AutoCloseable {
  /** Where a key's primary is, and whether it still is. */
  public interface Topology {
    /** The primary for this key now (host:port and how to connect to it). */
    Node primaryFor(byte[] key);

    /** Whether {@code node} is still the primary the topology names for {@code key}. */
    boolean stillPrimary(Node node, byte[] key);

    /** Something suggested the topology moved (a timeout, CLUSTERDOWN, READONLY, MOVED): look again soon. */
    void suspect();
  }

  /** A primary and how to open an exclusive connection to it. */
  public record Node(String address, java.util.function.Supplier<StatefulRedisConnection<byte[], byte[]>> connect) {
  }

  /** A change applied on the primary whose replicas did not confirm it in time: it must not be relied on. */
  public static final class Shortfall extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient @Nullable Object result;

    Shortfall(String message, @Nullable Object result) {
      super(message, null, false, false);
      this.result = result;
    }

    /** What the script answered on the primary (so the caller can undo it). */
    public @Nullable Object result() {
      return result;
    }
  }

  private final Topology topology;
  private final int required;
  private final Duration replicaTimeout;
  private final Duration callTimeout;
  private final int perNode;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public Acknowledged(Topology topology, int required, Duration replicaTimeout, Duration callTimeout, int perNode) {
    this.topology = topology;
    this.required = required;
    this.replicaTimeout = replicaTimeout;
    this.callTimeout = callTimeout;
    this.perNode = perNode;
  }

  public int required() {
    return required;
  }

  public Duration replicaTimeout() {
    return replicaTimeout;
  }

  /**
   * Runs {@code s} on the primary of {@code keys[0]} followed by {@code WAIT}; answers its result once the replicas
   * have it. Throws {@link Shortfall} when the script ran but too few replicas confirmed it, {@link
   * StoreUnavailableException} when it may not have run at all.
   */
  @SuppressWarnings("TypeParameterUnusedInFormals")
  public <T> T eval(Script s, ScriptOutputType type, byte[][] keys, byte[]... args) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    Node node = topology.primaryFor(keys[0]);
    Pool pool = pools.computeIfAbsent(node.address(), a -> new Pool(node));
    StatefulRedisConnection<byte[], byte[]> c = pool.borrow(deadline);
    boolean healthy = false;
    try {
      Object[] r = send(c, cmd -> cmd.evalsha(s.sha, type, keys, args), deadline);
      if (r[0] instanceof RedisNoScriptException) {
        r = send(c, cmd -> cmd.eval(s.source, type, keys, args), deadline);
      }
      if (r[0] instanceof Throwable t) {
        healthy = true; // Redis answered both: the connection is in order
        if (RedisApi.movedTopology(t)) {
          topology.suspect();
        }
        throw RedisApi.unavailable(t);
      }
      healthy = true;
      long acks = r[1] instanceof Long n ? n : -1;
      @SuppressWarnings("unchecked") T result = (T) r[0];
      if (acks < required) {
        topology.suspect();
        throw new Shortfall("Redis confirmed the change on " + Math.max(0, acks) + " of the " + required
            + " replica(s) it needs within " + replicaTimeout.toMillis() + " ms.", result);
      }
      if (!topology.stillPrimary(node, keys[0])) {
        throw new Shortfall("The node that applied the change is no longer the primary the topology names.", result);
      }
      return result;
    } finally {
      pool.release(c, healthy);
    }
  }

  /** The script and WAIT in one flush; {r[0]: the script's answer or its error, r[1]: the WAIT count or null}. */
  private Object[] send(StatefulRedisConnection<byte[], byte[]> c,
      Function<RedisAsyncCommands<byte[], byte[]>, RedisFuture<?>> script, long deadline) {
    RedisAsyncCommands<byte[], byte[]> cmd = c.async();
    RedisFuture<?> f;
    RedisFuture<Long> w;
    try {
      f = script.apply(cmd);
      w = cmd.waitForReplication(required, replicaTimeout.toMillis());
      c.flushCommands();
    } catch (RuntimeException e) {
      topology.suspect();
      throw RedisApi.unavailable(e);
    }
    Object first;
    try {
      first = f.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      first = e.getCause();
    } catch (TimeoutException e) {
      topology.suspect();
      throw new StoreUnavailableException("Redis did not answer within " + callTimeout.toMillis() + " ms.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for Redis.", e);
    }
    Object acks;
    try {
      acks = w.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      acks = null; // WAIT refused (a replica answering READONLY-like errors): no confirmation
      if (first instanceof Throwable == false) {
        topology.suspect();
      }
    } catch (TimeoutException e) {
      topology.suspect();
      throw new Shortfall("Redis did not confirm the change within " + callTimeout.toMillis() + " ms.",
          first instanceof Throwable ? null : first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for Redis.", e);
    }
    return new Object[] {first, acks};
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    closed = true;
    pools.values().forEach(Pool::close);
    pools.clear();
  }

  /** At most {@code perNode} exclusive connections to one primary. */
  private final class Pool {
    private final Node node;
    private final Semaphore permits = new Semaphore(perNode);
    private final ConcurrentLinkedDeque<StatefulRedisConnection<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();

    Pool(Node node) {
      this.node = node;
    }

    StatefulRedisConnection<byte[], byte[]> borrow(long deadline) {
      try {
        if (!permits.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
          throw new StoreUnavailableException("Every connection to Redis at " + node.address()
              + " is waiting for its replicas; try again shortly.");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("Interrupted while waiting for Redis.", e);
      }
      StatefulRedisConnection<byte[], byte[]> c;
      while ((c = idle.pollFirst()) != null) {
        if (c.isOpen()) {
          return c;
        }
        var unusedClose = c.closeAsync();
      }
      try {
        c = node.connect().get();
        c.setAutoFlushCommands(false);
        return c;
      } catch (RuntimeException e) {
        permits.release();
        topology.suspect();
        throw RedisApi.unavailable(e);
      }
    }

    void release(StatefulRedisConnection<byte[], byte[]> c, boolean healthy) {
      if (healthy && c.isOpen() && !closed) {
        idle.addFirst(c);
      } else {
        var unusedClose = c.closeAsync(); // a WAIT Redis still blocks on ends with the connection
      }
      permits.release();
    }

    void close() {
      StatefulRedisConnection<byte[], byte[]> c;
      while ((c = idle.pollFirst()) != null) {
        var unusedClose = c.closeAsync();
      }
    }
  }
}
