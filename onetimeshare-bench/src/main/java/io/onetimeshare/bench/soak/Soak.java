package io.onetimeshare.bench.soak;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.Credential;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OpenedSecret;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded soak of the library: create/open pairs of 4 KiB secrets at a steady rate for a set time against the
 * in-memory or the Redis vault (its own redis-server on a free loopback port), plus secrets left unopened with a
 * short TTL. Reports requests, errors, one-time violations (must be 0), heap after a full GC at start and end,
 * Redis bytes per stored secret over the ciphertext, and whether expired secrets were reclaimed.
 *
 * <pre>java -cp onetimeshare-bench/target/benchmarks.jar io.onetimeshare.bench.soak.Soak memory|redis [seconds] [pairs/s]</pre>
 */
public final class Soak {
  /** What one soak measured. */
  public record Report(String storage, int seconds, long pairs, long errors, long violations, long heapStartBytes,
      long heapEndBytes, long expiredLeft, long unopenedCreated, double redisBytesPerSecret, int payload) {
    public String markdown() {
      return String.format(Locale.ROOT, "| %s | %d s | %d | %d | %d | %.1f MiB | %.1f MiB | %d of %d | %s |",
          storage, seconds, pairs * 2, errors, violations, heapStartBytes / 1048576.0, heapEndBytes / 1048576.0,
          unopenedCreated - expiredLeft, unopenedCreated,
          Double.isNaN(redisBytesPerSecret) ? "-" : String.format(Locale.ROOT, "%.0f B (%.0f B over the %d B payload)",
              redisBytesPerSecret, redisBytesPerSecret - payload, payload));
    }
  }

  private Soak() {}

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long usedMemory(RedisProcess redis) throws Exception {
    for (String line : redis.command("INFO memory").split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring(12).trim());
      }
    }
    throw new IllegalStateException("no used_memory");
  }

  public static Report run(String storage, int seconds, int pairsPerSecond) throws Exception {
    RedisProcess redisServer = null;
    RedisStore store = null;
    SecretVault vault;
    if (storage.equals("redis")) {
      redisServer = RedisProcess.start("--appendonly", "no");
      store = RedisStore.connect(redisServer.uri());
      vault = RedisSecretVault.builder(store).prefix("soak").chunkGrace(Duration.ZERO).build();
    } else {
      vault = InMemorySecretVault.builder().build();
    }
    int payload = 4096;
    try (OneTimeShare ots = OneTimeShare.builder().vault(vault)
        .ttl(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofDays(1)).build()) {
      SecureRandom random = new SecureRandom();
      // Redis overhead per stored secret: store 500 unopened secrets and measure used_memory
      double perSecret = Double.NaN;
      if (redisServer != null) {
        long before = usedMemory(redisServer);
        for (int i = 0; i < 500; i++) {
          byte[] b = new byte[payload];
          random.nextBytes(b);
          ots.share(b, ShareOptions.builder().ttl(Duration.ofSeconds(2)).build());
        }
        perSecret = (usedMemory(redisServer) - before) / 500.0;
      }
      long heapStart = heapAfterGc();
      AtomicLong pairs = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicLong violations = new AtomicLong();
      AtomicLong unopened = new AtomicLong(redisServer != null ? 500 : 0);
      int threads = 4;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long intervalNanos = TimeUnit.SECONDS.toNanos(1) * threads / pairsPerSecond;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      for (int t = 0; t < threads; t++) {
        var unused = pool.submit(() -> {
          long next = System.nanoTime();
          byte[] b = new byte[payload];
          long i = 0;
          while (System.nanoTime() < end) {
            try {
              random.nextBytes(b);
              if (++i % 20 == 0) {
                ots.share(b, ShareOptions.builder().ttl(Duration.ofSeconds(2)).build()); // left to expire
                unopened.incrementAndGet();
              }
              ShareReceipt r = ots.share(b, ShareOptions.defaults());
              OpenedSecret s = ots.open(r.id(), Credential.key(r.key()));
              if (!Arrays.equals(b, s.content())) {
                violations.incrementAndGet();
              }
              try {
                ots.open(r.id(), Credential.key(r.key()));
                violations.incrementAndGet();
              } catch (SecretNotFoundException expected) {
                // exactly once
              }
              pairs.incrementAndGet();
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
          return null;
        });
      }
      pool.shutdown();
      pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
      Thread.sleep(3_000); // let the short-TTL secrets expire
      long left;
      if (redisServer != null) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
          Thread.sleep(250);
          // every key but the receipts' traces, which outlive their secrets by an hour on purpose
          left = Long.parseLong(redisServer.command("EVAL \"local n = 0 for _, k in ipairs(redis.call('KEYS', '*'))"
              + " do if string.sub(k, -3) ~= '}:r' then n = n + 1 end end return n\" 0").substring(1).trim());
        } while (left > 0 && System.nanoTime() < deadline);
      } else {
        InMemorySecretVault m = (InMemorySecretVault) vault;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do { // Caffeine's timer wheel expires entries up to about a second after their time
          Thread.sleep(250);
          m.cleanUp();
          left = m.size();
        } while (left > 0 && System.nanoTime() < deadline);
      }
      long heapEnd = heapAfterGc();
      return new Report(storage, seconds, pairs.get(), errors.get(), violations.get(), heapStart, heapEnd, left,
          unopened.get(), perSecret, payload);
    } finally {
      if (store != null) {
        store.close();
      }
      if (redisServer != null) {
        redisServer.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String storage = args.length > 0 ? args[0] : "memory";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Report r = run(storage, seconds, rate);
    System.out.println("| storage | duration | requests | errors | one-time violations | heap after GC, start | "
        + "heap after GC, end | expired secrets reclaimed | Redis bytes per stored secret |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    System.out.println(r.markdown());
    System.exit(r.errors() == 0 && r.violations() == 0 && r.expiredLeft() == 0 ? 0 : 1);
  }
}
