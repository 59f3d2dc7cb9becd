package io.onetimeshare.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.redis.internal.RedisApi;
import io.onetimeshare.spi.BodyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Bodies in Redis chunks (issue 37: the body store SPI on every store): a body under {@code key} is chunk keys {@code
 * <prefix>:{<key>}:c<n>} of up to 512 KiB and a manifest {@code <prefix>:{<key>}:m} (chunks, length) written last, so
 * a body is whole or absent; an index {@code {<prefix>:bodies}} (a sorted set, ordered by key) lists them for the
 * sweeper. A write in parts keeps its parts under {@code <prefix>:{<key>}:w:<write>:<n>}, in the body's slot, and
 * completing renames them into chunks; unfinished writes are indexed in {@code {<prefix>:writes}} by when they began.
 * Every key of one body shares its hash tag, so this works on a Cluster too. Redis holds these bytes in memory: this
 * store is for a deployment that wants bodies apart from records without an object store (records in files, bodies
 * in Redis, for example); the fleet's layout is records in Redis and bodies in S3.
 *
 * @since 0.3
 */
public final class RedisBodyStore implements BodyStore {
  private static final int CHUNK = 512 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisApi api;
  private final String prefix;

  private RedisBodyStore(RedisStore store, String prefix) {
    this.api = store.api();
    this.prefix = prefix;
  }

  /** Bodies under {@code <prefix>} (keys apart from the vault's: use a prefix of their own, e.g. {@code ots-bodies}). */
  public static RedisBodyStore create(RedisStore store, String prefix) {
    Objects.requireNonNull(store, "store");
    if (!Objects.requireNonNull(prefix, "prefix").matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new InvalidArgumentException("A key prefix uses 1-64 of A-Z, a-z, 0-9, '_', '.', ':', '-'.");
    }
    return new RedisBodyStore(store, prefix);
  }

  private byte[] k(String key, String rest) {
    return (prefix + ":{" + key + "}:" + rest).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] bodies() {
    return ("{" + prefix + ":bodies}").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] writes() {
    return ("{" + prefix + ":writes}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void write(String key, InputStream body) throws IOException {
    BodyStore.checkKey(key);
    // indexed first: a write a crash cuts short is swept with the keys of its minute
    api.call(c -> c.zadd(bodies(), 0, b(key)));
    long n = 0;
    long length = 0;
    try {
      while (true) {
        byte[] chunk = body.readNBytes(CHUNK);
        if (chunk.length == 0) {
          break;
        }
        long i = n++;
        api.call(c -> c.set(k(key, "c" + i), chunk));
        length += chunk.length;
      }
    } catch (IOException | RuntimeException e) {
      discard(key, n);
      throw e;
    }
    long chunks = n;
    long len = length;
    api.call(c -> c.hset(k(key, "m"), java.util.Map.of(b("n"), KeyLayout.ascii(chunks), b("z"), KeyLayout.ascii(len))));
  }

  private void discard(String key, long chunks) {
    try {
      deleteChunks(key, chunks);
      api.call(c -> c.zrem(bodies(), b(key)));
    } catch (RuntimeException ignored) {
      // what is left is indexed: the sweep removes it at its minute
    }
  }

  private void deleteChunks(String key, long chunks) {
    for (long i = 0; i < chunks; i += 256) {
      int count = (int) Math.min(256, chunks - i);
      byte[][] ks = new byte[count][];
      for (int j = 0; j < count; j++) {
        ks[j] = k(key, "c" + (i + j));
      }
      api.call(c -> c.del(ks));
    }
  }

  /** The manifest's {chunks, length}, or null when the body is not (whole) there. */
  private long @Nullable [] manifest(String key) {
    List<io.lettuce.core.KeyValue<byte[], byte[]>> v = api.call(c -> c.hmget(k(key, "m"), b("n"), b("z")));
    if (v.size() < 2 || !v.get(0).hasValue() || !v.get(1).hasValue()) {
      return null;
    }
    return new long[] {KeyLayout.num(v.get(0).getValue()), KeyLayout.num(v.get(1).getValue())};
  }

  @Override
  public Optional<Body> read(String key) throws IOException {
    BodyStore.checkKey(key);
    long[] m = manifest(key);
    if (m == null) {
      return Optional.empty();
    }
    long chunks = m[0];
    return Optional.of(new Body(new InputStream() {
      private long next;
      private byte @Nullable [] buf;
      private int at;

      private boolean fill() throws IOException {
        while (buf == null || at == buf.length) {
          if (next == chunks) {
            return false;
          }
          long i = next++;
          byte[] got = api.call(c -> c.get(k(key, "c" + i)));
          if (got == null) {
            throw new IOException("a chunk of the body is gone (deleted while it was read)");
          }
          buf = got;
          at = 0;
        }
        return true;
      }

      @Override
      public int read() throws IOException {
        if (!fill()) {
          return -1;
        }
        return Objects.requireNonNull(buf)[at++] & 0xff;
      }

      @Override
      public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        byte[] now = Objects.requireNonNull(buf);
        int n = Math.min(len, now.length - at);
        System.arraycopy(now, at, out, off, n);
        at += n;
        return n;
      }
    }, m[1]));
  }

  @Override
  public void delete(String key) throws IOException {
    BodyStore.checkKey(key);
    long[] m = manifest(key);
    api.call(c -> c.del(k(key, "m")));
    if (m != null) {
      deleteChunks(key, m[0]);
    }
    api.call(c -> c.zrem(bodies(), b(key)));
  }

  @Override
  public List<String> keysBefore(String bound, int max) throws IOException {
    List<byte[]> v = api.call(c -> c.zrangebylex(bodies(), Range.from(Range.Boundary.<byte[]>unbounded(),
        Range.Boundary.excluding(b(bound))), Limit.create(0, max)));
    List<String> out = new ArrayList<>(v.size());
    for (byte[] key : v) {
      out.add(new String(key, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public String beginParts(String key) throws IOException {
    BodyStore.checkKey(key);
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    String w = HexFormat.of().formatHex(id);
    long now = System.currentTimeMillis();
    api.call(c -> c.hset(k(key, "w:" + w), b("t"), KeyLayout.ascii(now)));
    api.call(c -> c.zadd(writes(), (double) now, b(key + " " + w)));
    return w;
  }

  private void checkWrite(String key, String writeId) throws IOException {
    if (!writeId.matches("[0-9a-f]{24}")) {
      throw new IOException("no such write in parts");
    }
    Long there = api.call(c -> c.exists(k(key, "w:" + writeId)));
    if (there == null || there == 0) {
      throw new IOException("no such write in parts (completed or aborted)");
    }
  }

  @Override
  public String writePart(String key, String writeId, int number, byte[] data) throws IOException {
    BodyStore.checkKey(key);
    if (number < 1 || number > 10_000) {
      throw new IllegalArgumentException("a part's number is 1 to 10,000");
    }
    checkWrite(key, writeId);
    api.call(c -> c.set(k(key, "w:" + writeId + ":" + number), data));
    String name = writePartName(number, data);
    api.call(c -> c.hset(k(key, "w:" + writeId), b("p" + number), b(name)));
    return name;
  }

  @Override
  public void completeParts(String key, String writeId, List<String> parts) throws IOException {
    BodyStore.checkKey(key);
    checkWrite(key, writeId);
    // each part's name was kept when it was written (the latest write of a number counts): no part is read again
    long length = 0;
    for (int i = 0; i < parts.size(); i++) {
      int number = i + 1;
      byte[] kept = api.call(c -> c.hget(k(key, "w:" + writeId), b("p" + number)));
      Long size = api.call(c -> c.strlen(k(key, "w:" + writeId + ":" + number)));
      if (kept == null || !parts.get(i).equals(new String(kept, StandardCharsets.UTF_8)) || size == null) {
        throw new IOException("part " + number + " is not the part named");
      }
      length += size;
    }
    api.call(c -> c.zadd(bodies(), 0, b(key)));
    for (int i = 0; i < parts.size(); i++) {
      int number = i + 1;
      api.call(c -> c.rename(k(key, "w:" + writeId + ":" + number), k(key, "c" + (number - 1))));
    }
    long len = length;
    api.call(c -> c.hset(k(key, "m"), java.util.Map.of(b("n"), KeyLayout.ascii(parts.size()), b("z"),
        KeyLayout.ascii(len))));
    dropWrite(key, writeId);
  }

  private static String writePartName(int number, byte[] data) {
    try {
      return number + "-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void dropWrite(String key, String writeId) {
    java.util.Map<byte[], byte[]> fields = api.call(c -> c.hgetall(k(key, "w:" + writeId)));
    List<byte[]> ks = new ArrayList<>();
    ks.add(k(key, "w:" + writeId));
    for (byte[] f : fields.keySet()) {
      String name = new String(f, StandardCharsets.UTF_8);
      if (name.startsWith("p")) {
        ks.add(k(key, "w:" + writeId + ":" + name.substring(1)));
      }
    }
    api.call(c -> c.del(ks.toArray(new byte[0][])));
    api.call(c -> c.zrem(writes(), b(key + " " + writeId)));
  }

  @Override
  public void abortParts(String key, String writeId) throws IOException {
    BodyStore.checkKey(key);
    if (writeId.matches("[0-9a-f]{24}")) {
      dropWrite(key, writeId);
    }
  }

  @Override
  public List<Unfinished> unfinished(int max) throws IOException {
    List<ScoredValue<byte[]>> v = api.call(c -> c.zrangeWithScores(writes(), 0, max - 1L));
    List<Unfinished> out = new ArrayList<>(v.size());
    for (ScoredValue<byte[]> s : v) {
      String[] kw = new String(s.getValue(), StandardCharsets.UTF_8).split(" ", 2);
      out.add(new Unfinished(kw[0], kw[1], Instant.ofEpochMilli((long) s.getScore())));
    }
    return out;
  }

  @Override
  public int minPartSize() {
    return 1;
  }
}
