package io.onetimeshare.redis.internal;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.onetimeshare.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The thin seam over Lettuce: one shared async command interface (single node or Cluster), every wait bounded by the
 * configured timeout, every Redis failure turned into {@link StoreUnavailableException}.
 */
public final class RedisApi {
  private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final Duration timeout;
  private volatile @org.jspecify.annotations.Nullable Acknowledged acknowledged;
  private volatile Runnable suspect = () -> { };

  public RedisApi(RedisClusterAsyncCommands<byte[], byte[]> commands, Duration timeout) {
    this.commands = commands;
    this.timeout = timeout;
  }

  /** Commands go to another connection from now on (a Sentinel named another primary). */
  public void switchTo(RedisClusterAsyncCommands<byte[], byte[]> commands) {
    this.commands = commands;
  }

  /** Changes wait for replicas through {@code a} from now on (issue 35). */
  public void acknowledgeThrough(Acknowledged a) {
    this.acknowledged = a;
  }

  /** Called when a failure suggests the topology moved (CLUSTERDOWN, MOVED, READONLY, a timeout). */
  public void onSuspectTopology(Runnable r) {
    this.suspect = r;
  }

  /** The replicas a change waits for (0: none). */
  public int replicasRequired() {
    Acknowledged a = acknowledged;
    return a == null ? 0 : a.required();
  }

  /**
   * A change a person relies on (issue 35): {@link #eval} followed by {@code WAIT} in the same flush when the store
   * waits for replicas. Throws {@link Acknowledged.Shortfall} when the script ran on the primary but too few replicas
   * confirmed it (the caller undoes what it can and answers unavailable), {@link StoreUnavailableException} when Redis
   * failed.
   */
  @SuppressWarnings("TypeParameterUnusedInFormals")
  public <T> T evalAcknowledged(Script s, ScriptOutputType type, byte[][] keys, byte[]... args) {
    Acknowledged a = acknowledged;
    return a == null ? eval(s, type, keys, args) : a.eval(s, type, keys, args);
  }

  /**
   * {@link #evalAcknowledged} without blocking: completes with the result, or exceptionally with {@link
   * Acknowledged.Shortfall} or {@link StoreUnavailableException}.
   */
  public java.util.concurrent.CompletableFuture<Object> evalAcknowledgedAsync(Script s, ScriptOutputType type,
      byte[][] keys, byte[]... args) {
    Acknowledged a = acknowledged;
    if (a != null) {
      return a.evalAsync(s, type, keys, args);
    }
    try {
      Object r = eval(s, type, keys, args);
      return java.util.concurrent.CompletableFuture.completedFuture(r);
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /**
   * {@link #evalAcknowledged} for a change with nothing to undo on a shortfall: a shortfall answers unavailable with
   * {@code effect}, and so does a Redis failure.
   */
  @SuppressWarnings("TypeParameterUnusedInFormals")
  public <T> T evalConfirmed(Script s, ScriptOutputType type, StoreUnavailableException.Effect effect, byte[][] keys,
      byte[]... args) {
    try {
      return evalAcknowledged(s, type, keys, args);
    } catch (Acknowledged.Shortfall e) {
      throw new StoreUnavailableException(String.valueOf(e.getMessage()), null, effect);
    } catch (StoreUnavailableException e) {
      throw e.withEffect(effect);
    }
  }

  /** Whether a Redis error says the slot or the primary moved. */
  static boolean movedTopology(@org.jspecify.annotations.Nullable Throwable t) {
    String m = t == null ? null : t.getMessage();
    return t instanceof io.lettuce.core.RedisCommandTimeoutException || t instanceof TimeoutException
        || (m != null && (m.startsWith("CLUSTERDOWN") || m.startsWith("MOVED") || m.startsWith("READONLY")
        || m.startsWith("ASK") || m.startsWith("TRYAGAIN") || m.contains("LOADING") || m.startsWith("MASTERDOWN")));
  }

  public RedisClusterAsyncCommands<byte[], byte[]> commands() {
    return commands;
  }

  /** A Lua script from this module's resources, run by EVALSHA with a fallback to EVAL on NOSCRIPT. */
  public static final class Script {
    final String source;
    final String sha;

    /** The SHA-1 that EVALSHA names it by. */
    public String sha() {
      return sha;
    }

    Script(String source, String sha) {
      this.source = source;
      this.sha = sha;
    }

    public static Script load(String name) {
      return of(text(name));
    }

    /**
     * {@code guarded} with rate budgets charged first in the same script (issue 25): {@code charged.lua} defines
     * {@code charge()}, then {@code guarded}'s text runs as a function only if every budget admits; the answer is
     * {@code {refused 0/1, {budget decisions}, guarded's answer}}.
     */
    public static Script charged(String guarded) {
      return of(text("charged.lua") + "\nlocal function guarded()\n" + text(guarded) + "\nend\n"
          + "local refused, decisions = charge()\n"
          + "if refused then return {1, decisions} end\n"
          + "return {0, decisions, guarded()}\n");
    }

    private static Script of(String src) {
      try {
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        return new Script(src, java.util.HexFormat.of().formatHex(sha1.digest(src.getBytes(StandardCharsets.UTF_8))));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is missing", e);
      }
    }

    private static String text(String name) {
      try (InputStream in = RedisApi.class.getResourceAsStream("/io/onetimeshare/redis/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing script " + name);
        }
        String src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        // a line "--#include other.lua" is replaced by that script's text (shared Lua functions, issue 22)
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^--#include (\\S+)$").matcher(src);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(text(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
      } catch (IOException e) {
        throw new IllegalStateException("cannot load script " + name, e);
      }
    }
  }

  @SuppressWarnings("TypeParameterUnusedInFormals") // the script's output type decides T, as in Lettuce
  public <T> T eval(Script s, ScriptOutputType type, byte[][] keys, byte[]... args) {
    try {
      return call(c -> c.<T>evalsha(s.sha, type, keys, args));
    } catch (StoreUnavailableException e) {
      if (e.getCause() instanceof RedisNoScriptException) {
        return call(c -> c.<T>eval(s.source, type, keys, args));
      }
      throw e;
    }
  }

  public Duration timeout() {
    return timeout;
  }

  /** Waits for {@code f} at most the timeout. */
  public <T> T await(RedisFuture<T> f) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      suspect.run();
      throw new StoreUnavailableException("Redis did not answer within " + timeout.toMillis() + " ms.", e);
    } catch (ExecutionException e) {
      if (movedTopology(e.getCause())) {
        suspect.run();
      }
      throw unavailable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for Redis.", e);
    }
  }

  /** Issues a command without waiting; a synchronous Lettuce failure (e.g. disconnected) becomes unavailable. */
  public <T> RedisFuture<T> issue(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> c) {
    try {
      return c.apply(commands);
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  /** Issues a command and waits for its answer at most the timeout. */
  public <T> T call(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> c) {
    return await(issue(c));
  }

  public static StoreUnavailableException unavailable(@org.jspecify.annotations.Nullable Throwable t) {
    if (t instanceof StoreUnavailableException s) {
      return s;
    }
    String what = t == null ? "unknown" : t.getClass().getSimpleName();
    return new StoreUnavailableException("Redis is unavailable (" + what + ").", t);
  }
}
