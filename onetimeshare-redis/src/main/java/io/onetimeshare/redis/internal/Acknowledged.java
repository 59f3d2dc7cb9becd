package io.onetimeshare.redis.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Changes that return only once Redis has them on the replicas it must (issue 35), committed in groups. Each primary
 * has a few lanes, each a thread of its own with a connection of its own; a lane takes every change waiting for that
 * primary (up to {@link #BATCH}), writes their scripts and one {@code WAIT replicas timeout} behind them in one flush,
 * and answers them all with that count. {@code WAIT} counts the writes made on its own connection up to itself, so
 * one covers every script of its group, and on the same primary every earlier write (another connection's, already
 * answered) sits before them in the replication stream, so the count covers those too. One round trip per change as
 * before, but one {@code WAIT} (and one replica acknowledgement) for many changes under load, and a {@code WAIT} that
 * blocks (no replica answering) holds up no other connection's commands. A lane whose {@code WAIT} did not answer
 * closes its connection (Redis then drops the blocked {@code WAIT}) and opens another.
 *
 * <p>A count is believed only while the node is still the primary the topology names (Sentinel's current choice, the
 * Cluster's slot owner); otherwise it is a shortfall. A change whose caller has given up before its lane sends it is
 * not sent.
 */
public final class Acknowledged implements AutoCloseable {
  /** Changes sent in one flush with one WAIT behind them, at most. */
  static final int BATCH = 64;
  /** How long a lane with nothing to do keeps its thread and connection. */
  static final long IDLE_NANOS = 60_000_000_000L;

  /** Where a key's primary is, and whether it still is. */
  public interface Topology {
    /** The primary for this key now (host:port and how to connect to it). */
    Node primaryFor(byte[] key);

    /** Whether {@code node} is still the primary the topology names for {@code key}. */
    boolean stillPrimary(Node node, byte[] key);

    /** Something suggested the topology moved (a timeout, CLUSTERDOWN, READONLY, MOVED): look again soon. */
    void suspect();
  }

  /** A primary and how to open a connection of its own to it. */
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

  /** One change waiting for its lane. */
  private static final class Op {
    final Script script;
    final ScriptOutputType type;
    final byte[][] keys;
    final byte[][] args;
    final long deadline;
    final CompletableFuture<Object> done = new CompletableFuture<>();
    volatile boolean eval; // Redis did not know the script: sent as EVAL next time

    Op(Script script, ScriptOutputType type, byte[][] keys, byte[][] args, long deadline) {
      this.script = script;
      this.type = type;
      this.keys = keys;
      this.args = args;
      this.deadline = deadline;
    }
  }

  private final Topology topology;
  private final int required;
  private final Duration replicaTimeout;
  private final Duration callTimeout;
  private final int lanesPerNode;
  private final Map<String, Lanes> nodes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public Acknowledged(Topology topology, int required, Duration replicaTimeout, Duration callTimeout,
      int lanesPerNode) {
    this.topology = topology;
    this.required = required;
    this.replicaTimeout = replicaTimeout;
    this.callTimeout = callTimeout;
    this.lanesPerNode = lanesPerNode;
  }

  public int required() {
    return required;
  }

  public Duration replicaTimeout() {
    return replicaTimeout;
  }

  /**
   * Runs {@code s} on the primary of {@code keys[0]} with a {@code WAIT} behind it; answers its result once the
   * replicas have it. Throws {@link Shortfall} when the script ran but too few replicas confirmed it, {@link
   * StoreUnavailableException} when it may not have run at all.
   */
  @SuppressWarnings({"TypeParameterUnusedInFormals", "unchecked"})
  public <T> T eval(Script s, ScriptOutputType type, byte[][] keys, byte[]... args) {
    if (closed) {
      throw new StoreUnavailableException("The Redis store is closed.");
    }
    long deadline = System.nanoTime() + callTimeout.toNanos();
    Node node = topology.primaryFor(keys[0]);
    Op op = new Op(s, type, keys, args, deadline);
    nodes.computeIfAbsent(node.address(), a -> new Lanes(node)).submit(op);
    Object r;
    try {
      r = op.done.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      if (t instanceof Shortfall sf) {
        throw new Shortfall(String.valueOf(sf.getMessage()), sf.result()); // with this thread's stack
      }
      throw RedisApi.unavailable(t);
    } catch (TimeoutException e) {
      op.done.completeExceptionally(e); // a lane that has not sent it yet never will
      topology.suspect();
      throw new StoreUnavailableException("Redis did not answer within " + callTimeout.toMillis() + " ms.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      op.done.completeExceptionally(e);
      throw new StoreUnavailableException("Interrupted while waiting for Redis.", e);
    }
    if (!topology.stillPrimary(node, keys[0])) {
      throw new Shortfall("The node that applied the change is no longer the primary the topology names.", r);
    }
    return (T) r;
  }

  /**
   * {@link #eval} without blocking the caller (issue 35: the background give-backs, many at once during a failover):
   * the answer completes with the script's result once the replicas have it, or exceptionally with {@link Shortfall}
   * or {@link StoreUnavailableException}.
   */
  public CompletableFuture<Object> evalAsync(Script s, ScriptOutputType type, byte[][] keys, byte[]... args) {
    if (closed) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("The Redis store is closed."));
    }
    Node node;
    try {
      node = topology.primaryFor(keys[0]);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long deadline = System.nanoTime() + callTimeout.toNanos();
    Op op = new Op(s, type, keys, args, deadline);
    nodes.computeIfAbsent(node.address(), a -> new Lanes(node)).submit(op);
    // a lane that has not sent it by the deadline never will (it skips changes whose answer is done)
    var unused = op.done.orTimeout(remaining(deadline), TimeUnit.NANOSECONDS);
    return op.done.handle((r, t) -> {
      if (t != null) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof TimeoutException) {
          topology.suspect();
        }
        throw c instanceof Shortfall sf ? sf : c instanceof StoreUnavailableException su ? su
            : RedisApi.unavailable(c);
      }
      if (!topology.stillPrimary(node, keys[0])) {
        throw new Shortfall("The node that applied the change is no longer the primary the topology names.", r);
      }
      return r;
    });
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    closed = true;
    nodes.values().forEach(Lanes::close);
    nodes.clear();
  }

  /** The lanes of one primary: a queue of changes and up to {@code lanesPerNode} threads taking from it. */
  private final class Lanes {
    private final Node node;
    private final LinkedBlockingDeque<Op> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final java.util.Set<Thread> threads = ConcurrentHashMap.newKeySet();

    Lanes(Node node) {
      this.node = node;
    }

    void submit(Op op) {
      queue.add(op);
      // a new lane only when none is waiting for work and there is room for one
      if (idle.get() == 0) {
        int n = running.get();
        if (n < lanesPerNode && running.compareAndSet(n, n + 1)) {
          Thread t = new Thread(this::run, "onetimeshare-redis-ack " + node.address());
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }
      }
    }

    private void run() {
      StatefulRedisConnection<byte[], byte[]> c = null;
      try {
        while (!closed) {
          idle.incrementAndGet();
          Op first;
          try {
            first = queue.pollFirst(IDLE_NANOS, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            return; // closed
          } finally {
            idle.decrementAndGet();
          }
          if (first == null) {
            if (queue.isEmpty()) {
              return; // idle: the thread and its connection go; a new change starts a lane again
            }
            continue;
          }
          List<Op> batch = new ArrayList<>();
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          batch.removeIf(op -> op.done.isDone()); // callers that gave up: never sent
          if (batch.isEmpty()) {
            continue;
          }
          if (c == null || !c.isOpen()) {
            try {
              c = node.connect().get();
              c.setAutoFlushCommands(false);
            } catch (RuntimeException e) {
              c = null;
              topology.suspect();
              StoreUnavailableException u = RedisApi.unavailable(e);
              batch.forEach(op -> op.done.completeExceptionally(u));
              continue;
            }
          }
          if (!send(c, batch)) {
            var unused = c.closeAsync(); // a WAIT Redis still blocks on ends with the connection
            c = null;
          }
        }
      } catch (RuntimeException e) {
        // a bug must not leave callers waiting past their deadline: they time out and answer unavailable
      } finally {
        threads.remove(Thread.currentThread());
        running.decrementAndGet();
        if (c != null) {
          var unused = c.closeAsync();
        }
        if (!queue.isEmpty() && !closed) {
          submitAgain();
        }
      }
    }

    /** Changes left after a lane ended: a lane for them. */
    private void submitAgain() {
      Op op = queue.pollFirst();
      if (op != null) {
        submit(op);
      }
    }

    /** The group's scripts and one WAIT in one flush; false when the connection must not be used again. */
    private boolean send(StatefulRedisConnection<byte[], byte[]> c, List<Op> batch) {
      RedisAsyncCommands<byte[], byte[]> cmd = c.async();
      List<RedisFuture<?>> sent = new ArrayList<>(batch.size());
      RedisFuture<Long> w;
      long deadline = Long.MAX_VALUE;
      try {
        for (Op op : batch) {
          sent.add(op.eval ? cmd.eval(op.script.source, op.type, op.keys, op.args)
              : cmd.evalsha(op.script.sha, op.type, op.keys, op.args));
          deadline = Math.min(deadline, op.deadline);
        }
        w = cmd.waitForReplication(required, replicaTimeout.toMillis());
        c.flushCommands();
      } catch (RuntimeException e) {
        topology.suspect();
        StoreUnavailableException u = RedisApi.unavailable(e);
        batch.forEach(op -> op.done.completeExceptionally(u));
        return false;
      }
      // the WAIT answers last: wait for it (bounded by the earliest caller's deadline), then read the scripts'
      Long acks = null;
      boolean healthy = true;
      try {
        acks = w.get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        acks = null; // refused (a node that is a replica now): no confirmation
        topology.suspect();
      } catch (TimeoutException e) {
        healthy = false;
        topology.suspect();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        healthy = false;
      }
      boolean moved = false;
      for (int i = 0; i < batch.size(); i++) {
        Op op = batch.get(i);
        RedisFuture<?> f = sent.get(i);
        Object result;
        Throwable failure = null;
        if (!f.isDone()) {
          op.done.completeExceptionally(new StoreUnavailableException("Redis did not answer within "
              + callTimeout.toMillis() + " ms."));
          continue;
        }
        try {
          result = f.get();
        } catch (ExecutionException e) {
          failure = e.getCause();
          result = null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = e;
          result = null;
        }
        if (failure instanceof RedisNoScriptException && !op.eval && !op.done.isDone()) {
          op.eval = true; // it did not run: again, as EVAL, in the next group
          queue.addFirst(op);
          continue;
        }
        if (failure != null) {
          moved |= RedisApi.movedTopology(failure);
          op.done.completeExceptionally(RedisApi.unavailable(failure));
        } else if (acks == null || acks < required) {
          op.done.completeExceptionally(new Shortfall(acks == null && !healthy
              ? "Redis did not confirm the change within " + callTimeout.toMillis() + " ms."
              : "Redis confirmed the change on " + Math.max(0, acks == null ? 0 : acks) + " of the " + required
                  + " replica(s) it needs within " + replicaTimeout.toMillis() + " ms.", result));
        } else {
          op.done.complete(result);
        }
      }
      if (moved || (acks != null && acks < required)) {
        topology.suspect();
      }
      return healthy;
    }

    void close() {
      threads.forEach(Thread::interrupt);
      Op op;
      while ((op = queue.pollFirst()) != null) {
        op.done.completeExceptionally(new StoreUnavailableException("The Redis store is closed."));
      }
    }
  }
}
