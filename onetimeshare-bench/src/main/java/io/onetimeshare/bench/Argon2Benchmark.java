package io.onetimeshare.bench;

import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.Argon2id;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Argon2id per parameter set: ours (lanes in parallel) from one calling thread and from all (2) cores at once, and
 * BouncyCastle's generator (lanes one after another) from one thread, side by side. {@code argon2-compare.sh} times
 * the C reference ({@code argon2} Debian package) with the same parameters in the same run and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class Argon2Benchmark {
  /** m KiB : t : p — the defaults (RFC 9106, = the original's 64 MiB t=3 p=4) and OWASP's minimum. */
  @Param({"65536:3:4", "19456:2:1"})
  public String params;

  private Argon2idParameters p;
  private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
  private final byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Setup
  public void setUp() {
    String[] v = params.split(":");
    p = new Argon2idParameters(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]));
  }

  @Benchmark
  @Threads(1)
  public byte[] oneThread() {
    return Argon2id.derive(password, salt, p);
  }

  @Benchmark
  @Threads(2)
  public byte[] allCores() {
    return Argon2id.derive(password, salt, p);
  }

  /** BouncyCastle's {@code Argon2BytesGenerator}, which the core used before its lanes ran in parallel. */
  @Benchmark
  @Threads(1)
  public byte[] bouncyCastleOneThread() {
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(p.memoryKiB())
        .withIterations(p.iterations())
        .withParallelism(p.parallelism())
        .withSalt(salt)
        .build());
    byte[] out = new byte[32];
    gen.generateBytes(password, out);
    return out;
  }
}
