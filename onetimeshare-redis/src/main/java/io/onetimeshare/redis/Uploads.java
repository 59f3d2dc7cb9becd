package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Unfinished uploads on Redis: a small hash {@code <prefix>:{<id>}:u} (expiry, attempts, token hash, segment size,
 * count, bytes, whether the last segment came) and one chunk key per sealed segment, the same chunk keys a finished
 * secret is read from. Each append is one script that stores the expected segment atomically with the count; the
 * hash and the chunks expire when the upload has been idle for {@link PendingUpload#IDLE}. Finishing is one script
 * that writes the head and the trace and extends the chunks to the secret's expiry.
 */
final class Uploads {
  private static final Script BEGIN = Script.load("begin.lua");
  private static final Script APPEND = Script.load("append.lua");
  private static final Script FINISH = Script.load("finish.lua");

  private final RedisApi api;
  private final KeyLayout keys;
  private final ChunkIo chunks;
  private final Clock clock;
  private final long chunkGraceMs;

  private final RedisOutbox outbox;

  Uploads(RedisApi api, KeyLayout keys, ChunkIo chunks, Clock clock, long chunkGraceMs, RedisOutbox outbox) {
    this.outbox = outbox;
    this.api = api;
    this.keys = keys;
    this.chunks = chunks;
    this.clock = clock;
    this.chunkGraceMs = chunkGraceMs;
  }

  private long idleDeadline(PendingUpload u) {
    return Math.min(u.expiresAt().toEpochMilli(), clock.millis() + PendingUpload.IDLE.toMillis());
  }

  void begin(PendingUpload u) {
    Long ok = api.evalConfirmed(BEGIN, ScriptOutputType.INTEGER,
        io.onetimeshare.StoreUnavailableException.Effect.NOT_STORED, new byte[][] {keys.upload(u.id()), keys.head(u.id())},
        KeyLayout.ascii(u.expiresAt().toEpochMilli()), KeyLayout.ascii(u.attemptsLeft()), u.deleteTokenHash(),
        KeyLayout.ascii(u.segmentSize()), KeyLayout.ascii(idleDeadline(u)),
        (u.subscription().isEmpty() ? "" : u.subscription().encode()).getBytes(StandardCharsets.UTF_8));
    if (ok == null || ok != 1) {
      throw new IllegalStateException("id collision");
    }
  }

  private static final Script ANSWER_BEGIN = Script.load("answer-begin.lua");

  /** {@link io.onetimeshare.spi.RequestStore#beginAnswer}: the request marked answered and the upload begun at once. */
  io.onetimeshare.spi.RequestStore.Answering beginAnswer(PendingUpload u) {
    // the one answer of a request: taken on a replica too, or a failover would let a second answer in
    Long r = api.evalConfirmed(ANSWER_BEGIN, ScriptOutputType.INTEGER,
        io.onetimeshare.StoreUnavailableException.Effect.NOT_CONFIRMED, new byte[][] {keys.request(u.id()),
        keys.upload(u.id()), keys.head(u.id()), keys.trace(u.id())}, KeyLayout.ascii(clock.millis()),
        KeyLayout.ascii(u.expiresAt().toEpochMilli()), KeyLayout.ascii(u.attemptsLeft()), u.deleteTokenHash(),
        KeyLayout.ascii(u.segmentSize()), KeyLayout.ascii(idleDeadline(u)),
        (u.subscription().isEmpty() ? "" : u.subscription().encode()).getBytes(StandardCharsets.UTF_8));
    if (r == null || r < 0) {
      return io.onetimeshare.spi.RequestStore.Answering.NO_REQUEST;
    }
    return r == 1 ? io.onetimeshare.spi.RequestStore.Answering.STARTED
        : io.onetimeshare.spi.RequestStore.Answering.ALREADY_ANSWERED;
  }

  Optional<UploadProgress> progress(String id) {
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(keys.upload(id),
        b("e"), b("a"), b("t"), b("s"), b("n"), b("z"), b("f")));
    if (v.isEmpty() || !v.get(0).hasValue()) {
      return Optional.empty();
    }
    PendingUpload u = new PendingUpload(id, Instant.ofEpochMilli(num(v, 0)), v.get(2).getValue(), (int) num(v, 1),
        (int) num(v, 3));
    if (!clock.instant().isBefore(u.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(new UploadProgress(u, num(v, 4), num(v, 5), num(v, 6) == 1));
  }

  long append(String id, long index, byte[] segment) {
    UploadProgress before = progress(id).orElseThrow(SecretNotFoundException::new);
    UploadProgress after = before.append(index, segment.length); // checks order and size; the script re-checks order
    if (index < before.segments()) { // a resend
      return before.segments();
    }
    long deadline = idleDeadline(before.upload());
    Long n = api.eval(APPEND, ScriptOutputType.INTEGER, new byte[][] {keys.upload(id), keys.chunk(id, index)},
        KeyLayout.ascii(index), segment, after.sawLast() ? b("1") : b("0"), KeyLayout.ascii(deadline),
        KeyLayout.ascii(deadline + chunkGraceMs));
    if (n == null || n == -1) {
      throw new SecretNotFoundException();
    }
    if (n == -2) { // another request appended in between
      UploadProgress now = progress(id).orElseThrow(SecretNotFoundException::new);
      throw new UploadConflictException("Segments go in order: the next one expected is " + now.segments() + ".",
          now.sawLast() ? -1 : now.segments());
    }
    return n;
  }

  void finish(String id, byte[] header) {
    for (int tries = 0; ; tries++) {
      UploadProgress p = progress(id).orElseThrow(SecretNotFoundException::new);
      if (p.segments() == 0) {
        throw new UploadConflictException("The upload has no segment yet.", 0);
      }
      byte[][] k = new byte[(int) p.segments() + 5][];
      k[0] = keys.upload(id);
      k[1] = keys.head(id);
      k[2] = keys.trace(id);
      k[3] = keys.notify(id);
      k[4] = keys.events(id);
      for (int i = 0; i < p.segments(); i++) {
        k[i + 5] = keys.chunk(id, i);
      }
      long expires = p.upload().expiresAt().toEpochMilli();
      if (tries == 0 && api.call(c -> c.hexists(keys.upload(id), b("ns")))) {
        outbox.watch(id, expires);
      }
      Long r = api.evalConfirmed(FINISH, ScriptOutputType.INTEGER,
          io.onetimeshare.StoreUnavailableException.Effect.NOT_STORED, k, header,
          KeyLayout.ascii(expires + SecretTrace.RETENTION.toMillis()), KeyLayout.ascii(expires + chunkGraceMs),
          KeyLayout.ascii(clock.millis()));
      if (r != null && r >= 1) {
        if (r == 2) {
          outbox.recorded(id);
        }
        return;
      }
      if (r == null || r == 0) {
        throw new SecretNotFoundException();
      }
      if (r == -1) {
        throw new UploadConflictException("The upload has no segment yet.", 0);
      }
      if (tries >= 3) { // segments keep arriving while finishing
        throw new UploadConflictException("Segments are still arriving; finish after the last one.", p.segments());
      }
    }
  }

  boolean abort(String id) {
    Optional<UploadProgress> p = progress(id);
    if (p.isEmpty()) {
      return false;
    }
    api.call(c -> c.del(keys.upload(id)));
    chunks.deleteChunks(id, p.get().segments() + 1);
    return true;
  }

  private static long num(List<io.lettuce.core.KeyValue<byte[], byte[]>> v, int i) {
    return KeyLayout.num(v.get(i).getValue());
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
