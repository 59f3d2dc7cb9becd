package io.onetimeshare.bench;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Put + claim pairs of sealed bodies through each vault, 8 threads. For Redis it uses {@code -Dots.redis.uri} when
 * given, else starts its own redis-server on a free loopback port.
 *
 * <pre>java -jar onetimeshare-bench/target/benchmarks.jar VaultBenchmark -rf json -rff vault.json</pre>
 * (or {@code onetimeshare-bench/redis-compare.sh} for the side-by-side run with redis-benchmark)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(8)
public class VaultBenchmark {
  @Param({"memory", "file", "redis"})
  public String store;

  @Param({"4096"})
  public int size;

  private SecretVault vault;
  private RedisStore redis;
  private RedisProcess redisServer;
  private Path dir;
  private byte[] body;
  private final byte[] header = new byte[57];
  private final byte[] tokenHash = new byte[32];
  private final AtomicLong counter = new AtomicLong();
  private String idPrefix;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    body = new byte[size];
    SecureRandom r = new SecureRandom();
    r.nextBytes(body);
    byte[] p = new byte[8];
    r.nextBytes(p);
    idPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(p).substring(0, 10);
    switch (store) {
      case "memory" -> vault = InMemorySecretVault.builder().maxBytes(1L << 30).build();
      case "file" -> {
        dir = Files.createTempDirectory("ots-bench");
        vault = FileSecretVault.builder(dir).sweepInterval(Duration.ZERO).build();
      }
      default -> {
        String uri = System.getProperty("ots.redis.uri");
        if (uri == null) {
          redisServer = RedisProcess.start("--appendonly", "no");
          uri = redisServer.uri();
        }
        redis = RedisStore.connect(uri);
        vault = RedisSecretVault.builder(redis).prefix("bench").build();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vault.close();
    if (redis != null) {
      redis.close();
    }
    if (redisServer != null) {
      redisServer.close();
    }
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private String nextId() {
    String n = Long.toString(counter.incrementAndGet(), 36);
    return idPrefix + "000000000000".substring(n.length()) + n;
  }

  @Benchmark
  public int putAndClaim() throws IOException {
    String id = nextId();
    vault.put(new SecretRecord(id, Instant.now().plusSeconds(600), header, tokenHash, 5), out -> out.write(body));
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow(); InputStream in = c.body()) {
      return in.readAllBytes().length;
    }
  }
}
