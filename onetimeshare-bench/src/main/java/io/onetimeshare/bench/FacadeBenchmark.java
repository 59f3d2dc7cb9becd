package io.onetimeshare.bench;

import io.onetimeshare.Credential;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemorySecretVault;
import java.security.SecureRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library end to end on the in-memory vault: share + open (seal and open) for 1 KiB, 64 KiB and 1 MiB in
 * random-key mode, and in passphrase mode (dominated by two Argon2id derivations, at the default parameters);
 * plus envelope header parsing and the in-memory limiter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class FacadeBenchmark {
  @Param({"1024", "65536", "1048576"})
  public int size;

  private OneTimeShare ots;
  private byte[] content;
  private byte[] header;
  private InMemoryRateLimiter limiter;
  private final AtomicLong keys = new AtomicLong();

  @Setup
  public void setUp() {
    InMemorySecretVault vault = InMemorySecretVault.builder().maxBytes(1L << 30).build();
    ots = OneTimeShare.builder().vault(vault).maxContentBytes(2 << 20).build();
    content = new byte[size];
    new SecureRandom().nextBytes(content);
    ShareReceipt r = ots.share(content, ShareOptions.defaults());
    header = vault.peek(r.id()).orElseThrow().header();
    limiter = InMemoryRateLimiter.builder(RateLimit.parse("1000000000/1h")).build();
  }

  @Benchmark
  public int shareAndOpenRandomKey() {
    ShareReceipt r = ots.share(content, ShareOptions.defaults());
    return ots.open(r.id(), Credential.key(r.key())).content().length;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int shareAndOpenPassphrase() {
    ShareReceipt r = ots.share(content, ShareOptions.builder().passphrase("correct horse").build());
    return ots.open(r.id(), Credential.passphrase("correct horse")).content().length;
  }

  @Benchmark
  public EnvelopeHeader parseHeader() {
    return EnvelopeHeader.parse(header, Argon2idParameters.defaultCeiling());
  }

  @Benchmark
  public boolean limiterTryAcquire() {
    return limiter.tryAcquire("client-" + (keys.incrementAndGet() & 1023)).allowed();
  }
}
