package io.onetimeshare.bench;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.redis.RedisRateLimiter;
import io.onetimeshare.redis.RedisStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

/** {@code tryAcquire} on the in-memory GCRA limiter and on the Redis one (its own redis-server), 8 threads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(8)
public class LimiterBenchmark {
  @Param({"memory", "redis"})
  public String store;

  private RateLimiter limiter;
  private RedisStore redis;
  private RedisProcess server;
  private final AtomicLong n = new AtomicLong();

  @Setup
  public void setUp() throws Exception {
    RateLimit limit = RateLimit.parse("1000000000/1h");
    if (store.equals("memory")) {
      limiter = InMemoryRateLimiter.builder(limit).build();
      return;
    }
    server = RedisProcess.start("--appendonly", "no");
    redis = RedisStore.connect(server.uri());
    limiter = RedisRateLimiter.create(redis, limit, "bench", "create");
  }

  @TearDown
  public void tearDown() throws Exception {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Benchmark
  public boolean tryAcquire() {
    return limiter.tryAcquire("client-" + (n.incrementAndGet() & 1023)).allowed();
  }
}
