package io.onetimeshare.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.SecretRecord;
import io.onetimeshare.SecretVault;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SecretVault} on Redis, with exactly the core semantics, shared by every instance on the same Redis.
 *
 * <ul>
 *   <li>Each secret is a hash {@code <prefix>:{<id>}} (expiry, attempts, envelope header, token hash, and the body
 *       inline when small) plus, for large bodies, chunk keys {@code <prefix>:{<id>}:<n>}. The hash tag puts all keys
 *       of one secret in one Cluster slot, so every script works on a Cluster.
 *   <li>The head is written last, atomically with its expiry, so a secret is visible only when complete.
 *   <li>A claim is one Lua script that marks the head as taken by a claim token and returns it: of any number of
 *       racing instances exactly one gets it. The winner deletes the head as soon as the answer reaches it (sent
 *       without waiting, so an open still costs one round trip) and then streams the chunks with GETDEL; no single
 *       command ever carries a whole large file.
 *   <li>When the answer to a claim is lost (Redis killed or the connection cut after the script ran), the claimer
 *       never saw the secret, so it gives it back once Redis answers again: an outage in the middle of an open
 *       neither loses the secret nor delivers it twice. Meanwhile other openers wait up to the timeout and then get
 *       {@link StoreUnavailableException}, never a wrong "not found". A claimer that dies holding a claim (its
 *       process killed) leaves the secret taken: it counts as opened when the claim lease ends.
 *   <li>Passphrase attempts are taken by a Lua script before the passphrase is tried, so concurrent guesses never
 *       exceed the limit; the caller whose last attempt failed deletes the secret.
 *   <li>Expiry: Redis expires the keys itself ({@code PEXPIREAT}); reads also compare with the vault's clock.
 * </ul>
 *
 * @since 0.1
 */
public final class RedisSecretVault implements SecretVault {
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Script PUT = Script.load("put.lua");
  private static final Script CLAIM = Script.load("claim.lua");
  private static final Script ATTEMPT = Script.load("attempt.lua");
  private static final Script DELETE = Script.load("delete.lua");
  private static final Script PURGE = Script.load("purge.lua");
  private static final Script RELEASE = Script.load("release.lua");

  private final RedisStore store;
  private final RedisApi api;
  private final String prefix;
  private final Clock clock;
  private final int inlineLimit;
  private final int chunkSize;
  private final boolean closeStore;
  private final long chunkGraceMs;
  private final long leaseMs;
  private final byte[] leaseArg;
  private final String tokenPrefix;
  private final AtomicLong claims = new AtomicLong();
  private final Resolver resolver;

  private RedisSecretVault(Builder b) {
    this.store = b.store;
    this.api = b.store.api();
    this.prefix = b.prefix;
    this.clock = b.clock;
    this.inlineLimit = b.inlineLimit;
    this.chunkSize = b.chunkSize;
    this.closeStore = b.closeStore;
    this.chunkGraceMs = b.chunkGrace.toMillis();
    this.leaseMs = b.claimLease.toMillis();
    this.leaseArg = ascii(leaseMs);
    byte[] instance = new byte[12];
    new SecureRandom().nextBytes(instance);
    this.tokenPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(instance) + ".";
    this.resolver = new Resolver();
  }

  public static Builder builder(RedisStore store) {
    return new Builder(store);
  }

  private byte[] head(String id) {
    return (prefix + ":{" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] chunk(String id, long n) {
    return (prefix + ":{" + id + "}:" + n).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static long num(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(new String((byte[]) o, StandardCharsets.US_ASCII));
  }

  private static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidArgumentException("A secret id is exactly 22 characters of A-Z, a-z, 0-9, '-' and '_'.");
    }
    return id;
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    String id = checkId(record.id());
    long expiresMs = record.expiresAt().toEpochMilli();
    ChunkWriter out = new ChunkWriter(id, expiresMs + chunkGraceMs);
    boolean done = false;
    try {
      body.writeTo(out);
      out.finish();
      byte[] inline = out.chunks == 0 ? out.inline() : new byte[0];
      api.eval(PUT, ScriptOutputType.INTEGER, new byte[][] {head(id)}, ascii(expiresMs),
          ascii(record.attemptsLeft()), record.header(), record.deleteTokenHash(), ascii(out.chunks), inline);
      done = true;
    } finally {
      if (!done) {
        out.abandon();
      }
    }
  }

  /** Buffers the first {@code inlineLimit} bytes; beyond that writes chunks of {@code chunkSize} as they fill. */
  private final class ChunkWriter extends OutputStream {
    private final String id;
    private final long chunkExpiryMs;
    private byte[] buf = new byte[1024];
    private int len;
    long chunks;
    private final Deque<RedisFuture<String>> inFlight = new ArrayDeque<>();

    ChunkWriter(String id, long chunkExpiryMs) {
      this.id = id;
      this.chunkExpiryMs = chunkExpiryMs;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) {
      while (n > 0) {
        if (len == chunkSize) {
          send(buf); // a full chunk with more data behind it: hand the buffer over, start a new one
          buf = new byte[chunkSize];
          len = 0;
        }
        int take = Math.min(n, chunkSize - len);
        if (len + take > buf.length) {
          // small bodies grow up to the inline limit; past it a body is chunked, so take a whole chunk at once
          int size = len + take > inlineLimit ? chunkSize : Math.min(inlineLimit, Math.max(buf.length * 2, len + take));
          buf = Arrays.copyOf(buf, size);
        }
        System.arraycopy(b, off, buf, len, take);
        len += take;
        off += take;
        n -= take;
      }
    }

    private void send(byte[] data) {
      long n = chunks++;
      inFlight.add(api.issue(c -> c.set(chunk(id, n), data, SetArgs.Builder.pxAt(chunkExpiryMs))));
      while (inFlight.size() > 2) {
        api.await(inFlight.poll()); // bounds memory: at most a few chunks in flight
      }
    }

    byte[] inline() {
      return Arrays.copyOf(buf, len);
    }

    void finish() {
      if ((chunks > 0 || len > inlineLimit) && len > 0) {
        send(len == buf.length ? buf : Arrays.copyOf(buf, len));
        len = 0;
      }
      while (!inFlight.isEmpty()) {
        api.await(inFlight.poll());
      }
    }

    void abandon() {
      try {
        while (!inFlight.isEmpty()) {
          api.await(inFlight.poll());
        }
      } catch (StoreUnavailableException ignored) {
        // the chunks expire on their own
      }
      deleteChunks(id, chunks);
    }
  }

  private void deleteChunks(String id, long n) {
    if (n <= 0) {
      return;
    }
    try {
      for (long from = 0; from < n; from += 512) {
        long to = Math.min(n, from + 512);
        byte[][] keys = new byte[(int) (to - from)][];
        for (long i = from; i < to; i++) {
          keys[(int) (i - from)] = chunk(id, i);
        }
        api.call(c -> c.del(keys));
      }
    } catch (StoreUnavailableException ignored) {
      // chunks carry their own expiry; they go away regardless
    }
  }

  @Override
  public Optional<SecretRecord> peek(String id) {
    checkId(id);
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(head(id),
        bytes("e"), bytes("a"), bytes("h"), bytes("t")));
    if (v.isEmpty() || !v.get(0).hasValue()) {
      return Optional.empty();
    }
    SecretRecord r = new SecretRecord(id, Instant.ofEpochMilli(num(v.get(0).getValue())),
        v.get(2).getValue(), v.get(3).getValue(), (int) Math.max(0, num(v.get(1).getValue())));
    return r.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(r);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public Optional<ClaimedSecret> claim(String id) {
    return Optional.ofNullable(claimIf(id, r -> true).claimed());
  }

  /** One round trip: claims the head, tests it here, and gives a rejected secret back (a second round trip). */
  @Override
  public ClaimOutcome claimIf(String id, java.util.function.Predicate<SecretRecord> accept) {
    checkId(id);
    byte[][] keys = {head(id)};
    // unique per claim (this vault instance + a counter); it names the claimer, it protects nothing
    byte[] token = (tokenPrefix + claims.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + store.timeout().toNanos();
    long pause = 1;
    List<Object> v;
    while (true) {
      try {
        v = api.eval(CLAIM, ScriptOutputType.MULTI, keys, token, leaseArg);
      } catch (StoreUnavailableException e) {
        resolver.retry(RELEASE, keys[0], token); // the script may have run without its answer reaching us
        throw e;
      }
      if (v == null || v.isEmpty() || v.get(0) == null) {
        return ClaimOutcome.ABSENT;
      }
      if (v.size() > 1) {
        break;
      }
      // another claimer holds it: it either purges it (then: not found) or gives it back (then: ours to claim)
      if (System.nanoTime() - deadline > 0) {
        throw new StoreUnavailableException("This secret is being opened by another request that has not finished; "
            + "try again in a moment.");
      }
      sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
    long chunks = v.get(4) == null ? 0 : num(v.get(4));
    SecretRecord r = new SecretRecord(id, Instant.ofEpochMilli(num(v.get(0))), (byte[]) v.get(2), (byte[]) v.get(3),
        (int) Math.max(0, num(v.get(1))));
    if (r.isExpiredAt(clock.instant())) {
      purge(keys[0], token);
      deleteChunks(id, chunks);
      return ClaimOutcome.ABSENT;
    }
    boolean accepted = false;
    try {
      accepted = accept.test(r);
    } finally {
      if (!accepted) {
        giveBack(keys[0], token);
      }
    }
    if (!accepted) {
      return ClaimOutcome.REJECTED;
    }
    purge(keys[0], token);
    InputStream body = chunks == 0
        ? new ByteArrayInputStream(v.get(5) == null ? new byte[0] : (byte[]) v.get(5))
        : new ChunkReader(id, chunks);
    return ClaimOutcome.claimed(ClaimedSecret.of(r, body));
  }

  /** Releases a claim this vault holds and does not want; if Redis does not answer, the resolver keeps trying. */
  private void giveBack(byte[] head, byte[] token) {
    try {
      api.eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {head}, token);
    } catch (StoreUnavailableException e) {
      resolver.retry(RELEASE, head, token);
    }
  }

  /**
   * Deletes a head this vault holds, without waiting. If that fails (Redis went away right after answering the
   * claim), the resolver retries until Redis answers, so other openers are not kept waiting for the lease.
   */
  private void purge(byte[] head, byte[] token) {
    RedisFuture<Long> f;
    try {
      f = api.issue(c -> c.evalsha(PURGE.sha(), ScriptOutputType.INTEGER, new byte[][] {head}, token));
    } catch (StoreUnavailableException e) {
      resolver.retry(PURGE, head, token);
      return;
    }
    f.whenComplete((done, failure) -> {
      if (failure != null) { // NOSCRIPT after a Redis restart too: the retry falls back to EVAL
        resolver.retry(PURGE, head, token);
      }
    });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for another open of the same secret.", e);
    }
  }

  /**
   * Finishes what a claimer could not: gives back claims whose answer was lost ({@code release.lua}) and deletes
   * delivered heads whose purge failed ({@code purge.lua}), retrying every 100 ms until Redis answers or the lease is
   * over. One daemon thread, started on first use.
   */
  private final class Resolver {
    private java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledExecutorService executor;

    synchronized void retry(Script script, byte[] head, byte[] token) {
      if (executor == null) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "onetimeshare-redis-resolve");
          t.setDaemon(true);
          return t;
        });
      }
      if (!executor.isShutdown()) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs);
        executor.execute(() -> attempt(script, head, token, until));
      }
    }

    private void attempt(Script script, byte[] head, byte[] token, long until) {
      try {
        api.eval(script, ScriptOutputType.INTEGER, new byte[][] {head}, token);
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() - until < 0) {
          schedule(() -> attempt(script, head, token, until));
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

  /** Streams chunk after chunk (GETDEL, the next one prefetched); deletes what is left when closed early. */
  private final class ChunkReader extends InputStream {
    private final String id;
    private final long chunks;
    private long next;
    private byte[] current = new byte[0];
    private int pos;
    private io.lettuce.core.@org.jspecify.annotations.Nullable RedisFuture<byte[]> prefetch;
    private boolean closed;

    ChunkReader(String id, long chunks) {
      this.id = id;
      this.chunks = chunks;
      this.prefetch = fetch(0);
    }

    private RedisFuture<byte[]> fetch(long n) {
      return api.issue(c -> c.getdel(chunk(id, n)));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      while (pos == current.length) {
        if (next == chunks) {
          return -1;
        }
        RedisFuture<byte[]> pending = java.util.Objects.requireNonNull(prefetch, "prefetch"); // next < chunks
        byte[] got = api.await(pending);
        next++;
        prefetch = next < chunks ? fetch(next) : null;
        if (got == null) {
          throw new IOException("a chunk of the secret is missing from Redis");
        }
        current = got;
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (next < chunks) {
          deleteChunks(id, chunks);
        }
      }
    }
  }

  @Override
  public OptionalInt reserveAttempt(String id) {
    return adjustAttempts(id, "-1");
  }

  @Override
  public void refundAttempt(String id) {
    adjustAttempts(id, "1");
  }

  private OptionalInt adjustAttempts(String id, String delta) {
    checkId(id);
    Long left = api.eval(ATTEMPT, ScriptOutputType.INTEGER, new byte[][] {head(id)}, ascii(clock.millis()),
        delta.getBytes(StandardCharsets.US_ASCII));
    return left == null || left < 0 ? OptionalInt.empty() : OptionalInt.of(left.intValue());
  }

  @Override
  public boolean delete(String id) {
    checkId(id);
    List<Object> v = api.eval(DELETE, ScriptOutputType.MULTI, new byte[][] {head(id)}, ascii(clock.millis()));
    deleteChunks(id, num(v.get(1)));
    return num(v.get(0)) == 1;
  }

  @Override
  public void close() {
    resolver.close();
    if (closeStore) {
      store.close();
    }
  }

  /** Builds a {@link RedisSecretVault}. */
  public static final class Builder {
    private final RedisStore store;
    private String prefix = "ots";
    private Clock clock = Clock.systemUTC();
    private int inlineLimit = 64 * 1024 + 1024;
    private int chunkSize = 512 * 1024;
    private boolean closeStore;
    private java.time.Duration chunkGrace = java.time.Duration.ofMinutes(1);
    private java.time.Duration claimLease = java.time.Duration.ofMinutes(1);

    private Builder(RedisStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Key namespace, so several apps can share one Redis. Default {@code ots}. */
    public Builder prefix(String prefix) {
      if (!prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
        throw new InvalidArgumentException("A key prefix is 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':', '-'.");
      }
      this.prefix = prefix;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Bodies up to this size live inside the head hash (one round trip to claim). Default 65 KiB. */
    public Builder inlineLimit(int bytes) {
      if (bytes < 0 || bytes > 8 * 1024 * 1024) {
        throw new InvalidArgumentException("inlineLimit must be between 0 and 8 MiB");
      }
      this.inlineLimit = bytes;
      return this;
    }

    /**
     * Size of each chunk key for larger bodies. Default 512 KiB: a whole chunk is one Java array on each side, and
     * arrays of 1 MiB and more are "humongous" for G1 on typical heaps (costly to allocate and collect).
     */
    public Builder chunkSize(int bytes) {
      if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
        throw new InvalidArgumentException("chunkSize must be between 1 KiB and 64 MiB");
      }
      this.chunkSize = bytes;
      return this;
    }

    /** How long chunk keys outlive their head, so a claim just before expiry can still stream. Default 1 min. */
    public Builder chunkGrace(java.time.Duration grace) {
      if (grace.isNegative()) {
        throw new InvalidArgumentException("chunkGrace must not be negative");
      }
      this.chunkGrace = grace;
      return this;
    }

    /**
     * How long a claim may stay unfinished before the secret counts as opened. A claimer that loses the answer to its
     * claim gives the secret back within this time once Redis answers again; one whose process dies cannot, and
     * other openers get "unavailable" until the lease ends, then "not found". Default 1 min.
     */
    public Builder claimLease(java.time.Duration lease) {
      if (lease.toMillis() < 100 || lease.compareTo(java.time.Duration.ofHours(1)) > 0) {
        throw new InvalidArgumentException("claimLease must be between 100 ms and 1 hour");
      }
      this.claimLease = lease;
      return this;
    }

    /** Whether closing the vault also closes the store (for a vault that owns its connection). */
    public Builder closeStoreOnClose(boolean close) {
      this.closeStore = close;
      return this;
    }

    public RedisSecretVault build() {
      if (inlineLimit > chunkSize) {
        throw new InvalidArgumentException("inlineLimit must not exceed chunkSize");
      }
      return new RedisSecretVault(this);
    }
  }
}
