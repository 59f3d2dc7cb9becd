package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.UploadParts;
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

  // ---- the ledger of parts (issue 37): segments moved to a body store while the upload goes on ----

  private static final Script PARTS_BEGIN = Script.load("parts-begin.lua");
  private static final Script PARTS_MOVED = Script.load("parts-moved.lua");

  Optional<UploadParts.Parts> parts(String id) {
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(keys.upload(id),
        b("e"), b("w"), b("k"), b("m"), b("pn")));
    if (v.isEmpty() || !v.get(0).hasValue()) {
      return Optional.empty();
    }
    if (!v.get(1).hasValue()) {
      return Optional.of(UploadParts.Parts.NONE);
    }
    int n = (int) num(v, 4);
    List<String> names = new java.util.ArrayList<>(n);
    if (n > 0) {
      byte[][] fields = new byte[n][];
      for (int p = 1; p <= n; p++) {
        fields[p - 1] = b("p" + p);
      }
      for (io.lettuce.core.KeyValue<byte[], byte[]> name : api.call(c -> c.hmget(keys.upload(id), fields))) {
        if (!name.hasValue()) {
          return parts(id); // a part was recorded between the two reads: read again
        }
        names.add(new String(name.getValue(), StandardCharsets.UTF_8));
      }
    }
    return Optional.of(new UploadParts.Parts(new String(v.get(1).getValue(), StandardCharsets.UTF_8),
        (int) num(v, 2), num(v, 3), names));
  }

  UploadParts.Parts beginParts(String id, String writeId, int segmentsPerPart) {
    if (segmentsPerPart < 1) {
      throw new IllegalArgumentException("a part holds at least one segment");
    }
    List<Object> r = api.eval(PARTS_BEGIN, ScriptOutputType.MULTI, new byte[][] {keys.upload(id)},
        writeId.getBytes(StandardCharsets.UTF_8), KeyLayout.ascii(segmentsPerPart));
    return ledger(r);
  }

  List<byte[]> segments(String id, long from, int count) {
    if (count == 0) {
      return List.of();
    }
    byte[][] k = new byte[count][];
    for (int i = 0; i < count; i++) {
      k[i] = keys.chunk(id, from + i);
    }
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.mget(k));
    List<byte[]> out = new java.util.ArrayList<>(count);
    for (io.lettuce.core.KeyValue<byte[], byte[]> kv : v) {
      if (!kv.hasValue()) {
        throw new SecretNotFoundException();
      }
      out.add(kv.getValue());
    }
    return out;
  }

  UploadParts.Parts moved(String id, int number, String name, long through) {
    UploadParts.Parts before = parts(id).orElseThrow(SecretNotFoundException::new);
    long from = before.movedSegments();
    int drop = (int) Math.max(0, through - from);
    byte[][] k = new byte[1 + drop][];
    k[0] = keys.upload(id);
    for (int i = 0; i < drop; i++) {
      k[1 + i] = keys.chunk(id, from + i);
    }
    List<Object> r = api.eval(PARTS_MOVED, ScriptOutputType.MULTI, k, KeyLayout.ascii(number),
        name.getBytes(StandardCharsets.UTF_8), KeyLayout.ascii(through));
    return ledger(r);
  }

  private static final Script PARTS_APPEND = Script.load("parts-append.lua");

  boolean appendMoved(String id, long from, int count, long bytes, boolean last, int number, String name) {
    UploadProgress p = progress(id).orElseThrow(SecretNotFoundException::new);
    Long r = api.eval(PARTS_APPEND, ScriptOutputType.INTEGER, new byte[][] {keys.upload(id)}, KeyLayout.ascii(from),
        KeyLayout.ascii(count), KeyLayout.ascii(bytes), last ? b("1") : b("0"), KeyLayout.ascii(number),
        name.getBytes(StandardCharsets.UTF_8), KeyLayout.ascii(idleDeadline(p.upload())));
    if (r == null || r == -1) {
      throw new SecretNotFoundException();
    }
    return r == 1;
  }

  private static UploadParts.Parts ledger(@org.jspecify.annotations.Nullable List<Object> r) {
    if (r == null || r.isEmpty()) {
      throw new SecretNotFoundException();
    }
    String w = new String((byte[]) r.get(0), StandardCharsets.UTF_8);
    if (w.isEmpty()) {
      return UploadParts.Parts.NONE;
    }
    List<String> names = new java.util.ArrayList<>(r.size() - 3);
    for (int i = 3; i < r.size(); i++) {
      names.add(new String((byte[]) r.get(i), StandardCharsets.UTF_8));
    }
    return new UploadParts.Parts(w, (int) KeyLayout.num(r.get(1)), KeyLayout.num(r.get(2)), names);
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
