package io.onetimeshare.redis;

import io.lettuce.core.ScriptOutputType;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.redis.internal.RedisApi.Script;
import io.onetimeshare.spi.RequestRecord;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Secret requests on Redis (issue 23): a hash {@code <prefix>:{<id>}:q} in the slot of the secret its answer becomes
 * (expiry, public key, the asker's token hash, when the answer began). The one answer begins in {@code
 * answer-begin.lua} ({@link Uploads#beginAnswer}), which marks the request answered and starts the upload at once.
 */
final class RedisRequests {
  private static final Script PUT = Script.load("request-put.lua");
  private static final Script DELETE = Script.load("request-delete.lua");

  private final RedisApi api;
  private final KeyLayout keys;
  private final Clock clock;

  RedisRequests(RedisApi api, KeyLayout keys, Clock clock) {
    this.api = api;
    this.keys = keys;
    this.clock = clock;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  void put(String id, RequestRecord request, RedisOutbox outbox) {
    long e = request.expiresAt().toEpochMilli();
    String sub = request.subscription().isEmpty() ? "" : request.subscription().encode();
    if (!sub.isEmpty()) {
      outbox.watch(id, e); // before the request exists, so its end is looked at whatever happens next
    }
    Long ok = api.evalConfirmed(PUT, ScriptOutputType.INTEGER, io.onetimeshare.StoreUnavailableException.Effect.NOT_STORED,
        new byte[][] {keys.request(id), keys.head(id), keys.upload(id),
        keys.notify(id), keys.events(id)}, KeyLayout.ascii(e), request.publicKey(), request.ownerTokenHash(),
        KeyLayout.ascii(e + SecretTrace.RETENTION.toMillis()), sub.getBytes(StandardCharsets.UTF_8),
        request.answerTokenHash() == null ? new byte[0] : request.answerTokenHash());
    if (ok == null || ok != 1) {
      throw new IllegalStateException("id collision");
    }
  }

  Optional<RequestRecord> get(String id) {
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(keys.request(id), b("e"), b("p"), b("o"),
        b("a"), b("n"), b("t")));
    if (v.isEmpty() || !v.get(0).hasValue()) {
      return Optional.empty();
    }
    Subscription sub = v.get(4).hasValue() ? Subscription.decode(new String(v.get(4).getValue(),
        StandardCharsets.UTF_8)) : Subscription.NONE;
    RequestRecord r = new RequestRecord(id, Instant.ofEpochMilli(KeyLayout.num(v.get(0).getValue())),
        v.get(1).getValue(), v.get(2).getValue(),
        v.get(3).hasValue() ? Instant.ofEpochMilli(KeyLayout.num(v.get(3).getValue())) : null, sub);
    if (v.get(5).hasValue()) {
      r = r.withAnswerTokenHash(v.get(5).getValue()); // absent only on a request stored before answer tokens (pre-0.3.0 builds)
    }
    return clock.instant().isBefore(r.expiresAt().plus(SecretTrace.RETENTION)) ? Optional.of(r) : Optional.empty();
  }

  boolean delete(String id) {
    Long n = api.evalConfirmed(DELETE, ScriptOutputType.INTEGER,
        io.onetimeshare.StoreUnavailableException.Effect.NOT_CONFIRMED, new byte[][] {keys.request(id), keys.head(id),
        keys.notify(id)});
    return n != null && n > 0;
  }
}
