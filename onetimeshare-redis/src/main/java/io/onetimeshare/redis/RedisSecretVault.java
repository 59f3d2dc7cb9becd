package io.onetimeshare.redis;

// Longer than 400 lines: the last 85 are the Builder's documented settings; what the vault does is in parts
// (KeyLayout, ChunkIo, ClaimProtocol, Uploads, RedisOutbox, RedisRequests), this class only routes to them.

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

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
 * <p>In parts: {@link KeyLayout} (key names), {@link ChunkIo} (bodies), {@link ClaimProtocol} (claims that survive
 * lost answers); this class puts, peeks, counts attempts and deletes.
 *
 * @since 0.1
 */
public final class RedisSecretVault implements SecretVault, io.onetimeshare.spi.RequestStore {
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Script PUT = Script.load("put.lua");
  private static final Script PUT_CHARGED = Script.charged("put.lua");
  private static final Script ATTEMPT = Script.load("attempt.lua");
  private static final Script DELETE = Script.load("delete.lua");
  private static final Script WITHDRAW = Script.load("withdraw.lua");

  private final RedisStore store;
  private final RedisApi api;
  private final KeyLayout keys;
  private final ChunkIo chunks;
  private final ClaimProtocol claims;
  private final Uploads uploads;
  private final RedisOutbox outbox;
  private final RedisRequests requests;
  private final Clock clock;
  private final boolean closeStore;
  private final long chunkGraceMs;

  private RedisSecretVault(Builder b) {
    this.store = b.store;
    this.api = b.store.api();
    this.keys = new KeyLayout(b.prefix);
    this.chunks = new ChunkIo(api, keys, b.inlineLimit, b.chunkSize);
    this.outbox = new RedisOutbox(api, keys, b.clock);
    this.requests = new RedisRequests(api, keys, b.clock);
    this.claims = new ClaimProtocol(api, b.store.signals(), keys, chunks, b.clock, store.timeout(), b.claimLease,
        outbox::recordedWithoutWaiting, (id, at) -> outbox.lookAt(id, at, false));
    outbox.retryWith(claims::later);
    this.clock = b.clock;
    this.closeStore = b.closeStore;
    this.chunkGraceMs = b.chunkGrace.toMillis();
    this.uploads = new Uploads(api, keys, chunks, b.clock, chunkGraceMs, outbox);
  }

  public static Builder builder(RedisStore store) {
    return new Builder(store);
  }

  private byte[] head(String id) {
    return keys.head(id);
  }

  private static byte[] ascii(long n) {
    return KeyLayout.ascii(n);
  }

  private static long num(Object o) {
    return KeyLayout.num(o);
  }

  private static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidArgumentException("A secret id is exactly 22 characters of A-Z, a-z, 0-9, '-' and '_'.");
    }
    return id;
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    put(record, body, io.onetimeshare.spi.Charge.Batch.none());
  }

  /**
   * One round trip for a small secret and its client's budgets (issue 25): on a single node the budgets are charged
   * in the put script itself, all or none, and a refusal stores nothing. A body too large to keep inline is charged
   * before its first chunk is stored; on a Cluster the budgets go together, awaited once, before the put.
   */
  @Override
  public void put(SecretRecord record, BodyWriter body, io.onetimeshare.spi.Charge.Batch charges) throws IOException {
    String id = checkId(record.id());
    Charges.Folded fold = Charges.fold(charges, api, store.isCluster());
    if (fold == null) {
      Charges.applyTogether(charges);
    }
    long expiresMs = record.expiresAt().toEpochMilli();
    ChunkIo.ChunkWriter out = chunks.writer(id, expiresMs + chunkGraceMs);
    out.beforeFirstChunk(() -> Charges.applyTogether(charges));
    boolean done = false;
    try {
      body.writeTo(out);
      out.finish();
      byte[] inline = out.chunks == 0 ? out.inline() : new byte[0];
      byte[][] headKeys = keys.stateKeys(id);
      String sub = record.subscription().isEmpty() ? "" : record.subscription().encode();
      byte[][] args = {ascii(expiresMs), ascii(record.attemptsLeft()), record.header(), record.deleteTokenHash(),
          ascii(out.chunks), inline, ascii(expiresMs + SecretTrace.RETENTION.toMillis()), ascii(out.bytes),
          sub.getBytes(StandardCharsets.UTF_8), ascii(clock.millis())};
      if (!sub.isEmpty()) {
        outbox.watch(id, expiresMs); // before the secret exists, so its end is looked at whatever happens next
      }
      long stored;
      try {
        if (fold != null && charges.take()) {
          List<Object> r = api.evalAcknowledged(PUT_CHARGED, ScriptOutputType.MULTI, fold.keysAfter(headKeys),
              fold.argsAfter(args));
          fold.settle(r.get(1)); // a refusal throws here, and the script stored nothing
          stored = num(r.get(2));
        } else {
          Long r = api.evalAcknowledged(PUT, ScriptOutputType.INTEGER, headKeys, args);
          stored = r == null ? 1 : r;
        }
      } catch (io.onetimeshare.redis.internal.Acknowledged.Shortfall e) {
        // on the primary, not on its replicas (issue 35): taken back, and the creator told it was not stored
        claims.later(WITHDRAW, keys.stateKeys(id), record.deleteTokenHash());
        throw new StoreUnavailableException(e.getMessage() + " The secret was not stored.", null,
            StoreUnavailableException.Effect.NOT_STORED);
      } catch (StoreUnavailableException e) {
        // the put may have run without its answer reaching us: taken back as soon as Redis answers
        claims.later(WITHDRAW, keys.stateKeys(id), record.deleteTokenHash());
        throw e.withEffect(StoreUnavailableException.Effect.NOT_STORED);
      }
      done = true;
      if (stored == 2) {
        outbox.recorded(id);
      }
    } finally {
      if (!done) {
        out.abandon();
      }
    }
  }

  @Override
  public Optional<SecretRecord> peek(String id) {
    checkId(id);
    return decodePeek(id, api.call(c -> c.hmget(head(id), bytes("e"), bytes("a"), bytes("h"), bytes("t"))));
  }

  /**
   * One round trip with the client's budgets (issue 25): their scripts and the read are sent together, then awaited;
   * a refusal throws before anything read is used.
   */
  @Override
  public Optional<SecretRecord> peek(String id, io.onetimeshare.spi.Charge.Batch charges) {
    checkId(id);
    if (!charges.take()) {
      return peek(id);
    }
    var sent = Charges.send(charges);
    io.lettuce.core.RedisFuture<List<io.lettuce.core.KeyValue<byte[], byte[]>>> read = api.issue(c -> c.hmget(head(id),
        bytes("e"), bytes("a"), bytes("h"), bytes("t")));
    Charges.receive(charges, sent);
    return decodePeek(id, api.await(read));
  }

  private Optional<SecretRecord> decodePeek(String id, List<io.lettuce.core.KeyValue<byte[], byte[]>> v) {
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
    return claims.claimIf(checkId(id), accept, null);
  }

  /** Still one round trip with the client's budgets on a single node: charged in the claim script (issue 25). */
  @Override
  public ClaimOutcome claimIf(String id, java.util.function.Predicate<SecretRecord> accept,
      io.onetimeshare.spi.Charge.Batch charges) {
    checkId(id);
    Charges.Folded fold = Charges.fold(charges, api, store.isCluster());
    if (fold == null) {
      Charges.applyTogether(charges);
    }
    return claims.claimIf(id, accept, fold != null && charges.take() ? fold : null);
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
    // a passphrase attempt taken must survive a failover, or each failover would hand out more guesses
    Long left = api.evalConfirmed(ATTEMPT, ScriptOutputType.INTEGER, StoreUnavailableException.Effect.NOTHING_DELIVERED,
        new byte[][] {head(id)}, ascii(clock.millis()),
        delta.getBytes(StandardCharsets.US_ASCII));
    return left == null || left < 0 ? OptionalInt.empty() : OptionalInt.of(left.intValue());
  }

  @Override
  public boolean delete(String id, SecretState reason) {
    checkId(id);
    byte[] code = bytes(reason == SecretState.BURNED ? "b" : "d");
    List<Object> v = api.evalConfirmed(DELETE, ScriptOutputType.MULTI, StoreUnavailableException.Effect.NOT_CONFIRMED,
        keys.stateKeys(id), ascii(clock.millis()), code);
    if (v.size() > 2 && num(v.get(2)) == 1) {
      outbox.recorded(id);
    }
    chunks.deleteChunks(id, num(v.get(1)));
    return num(v.get(0)) == 1;
  }

  /** This vault keeps secret requests itself. */
  @Override
  public Optional<io.onetimeshare.spi.RequestStore> requests() {
    return Optional.of(this);
  }

  @Override
  public void putRequest(io.onetimeshare.spi.RequestRecord request) {
    requests.put(checkId(request.id()), request, outbox);
  }

  @Override
  public Optional<io.onetimeshare.spi.RequestRecord> request(String id) {
    return requests.get(checkId(id));
  }

  @Override
  public io.onetimeshare.spi.RequestStore.Answering beginAnswer(PendingUpload upload) {
    checkId(upload.id());
    return uploads.beginAnswer(upload);
  }

  @Override
  public boolean deleteRequest(String id) {
    return requests.delete(checkId(id));
  }

  @Override
  public Optional<io.onetimeshare.spi.EventOutbox> outbox() {
    return Optional.of(outbox);
  }

  @Override
  public Optional<SecretTrace> trace(String id) {
    checkId(id);
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(keys.trace(id),
        bytes("e"), bytes("t"), bytes("s"), bytes("at")));
    if (v.isEmpty() || !v.get(0).hasValue() || !v.get(2).hasValue()) {
      return Optional.empty();
    }
    Instant expires = Instant.ofEpochMilli(num(v.get(0).getValue()));
    SecretState s = switch (new String(v.get(2).getValue(), StandardCharsets.US_ASCII)) {
      case "o" -> SecretState.OPENED;
      case "d" -> SecretState.DELETED;
      case "b" -> SecretState.BURNED;
      default -> SecretState.WAITING;
    };
    Instant at = s == SecretState.WAITING || !v.get(3).hasValue() ? null
        : Instant.ofEpochMilli(num(v.get(3).getValue()));
    SecretTrace t = new SecretTrace(id, expires, v.get(1).getValue(), at == null ? SecretState.WAITING : s, at);
    return clock.instant().isBefore(t.forgetAt()) ? Optional.of(t) : Optional.empty();
  }

  @Override
  public void beginUpload(PendingUpload upload) {
    uploads.begin(upload);
  }

  @Override
  public Optional<UploadProgress> uploadProgress(String id) {
    return uploads.progress(checkId(id));
  }

  @Override
  public long appendSegment(String id, long index, byte[] segment) {
    return uploads.append(checkId(id), index, segment);
  }

  @Override
  public void finishUpload(String id, byte[] header) {
    uploads.finish(checkId(id), header);
  }

  @Override
  public boolean abortUpload(String id) {
    return uploads.abort(checkId(id));
  }

  /**
   * The ledger of an upload's parts (issue 37): the write id and the parts' names sit in the upload's hash, the
   * segments not yet moved in its chunk keys, all in the upload's slot, so a {@link io.onetimeshare.split.SplitVault}
   * on any instance continues any upload.
   */
  @Override
  public Optional<io.onetimeshare.spi.UploadParts> uploadParts() {
    return Optional.of(new io.onetimeshare.spi.UploadParts() {
      @Override
      public Optional<Parts> parts(String id) {
        return uploads.parts(checkId(id));
      }

      @Override
      public Parts begin(String id, String writeId, int segmentsPerPart) {
        return uploads.beginParts(checkId(id), writeId, segmentsPerPart);
      }

      @Override
      public List<byte[]> segments(String id, long from, int count) {
        return uploads.segments(checkId(id), from, count);
      }

      @Override
      public Parts moved(String id, int number, String name, long through) {
        return uploads.moved(checkId(id), number, name, through);
      }

      @Override
      public boolean appendMoved(String id, long from, int count, long bytes, boolean last, int number,
          String name) {
        return uploads.appendMoved(checkId(id), from, count, bytes, last, number, name);
      }
    });
  }

  @Override
  public void close() {
    claims.close();
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
