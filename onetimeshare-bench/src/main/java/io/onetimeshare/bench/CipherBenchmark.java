package io.onetimeshare.bench;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.internal.BouncyCastleAesGcm;
import io.onetimeshare.internal.JdkAesGcm;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-256-GCM, JDK provider against BouncyCastle, sealing and opening one segment of {@code size} bytes: the choice
 * of default {@link Cipher} rests on this.
 *
 * <pre>java -jar onetimeshare-bench/target/benchmarks.jar CipherBenchmark -rf json -rff cipher.json</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherBenchmark {
  @Param({"JDK", "BouncyCastle"})
  public String provider;

  @Param({"1024", "65536", "1048576"})
  public int size;

  private Cipher.Session session;
  private byte[] plain;
  private byte[] sealed;
  private byte[] out;
  private final byte[] nonce = new byte[12];
  private final byte[] openNonce = new byte[12];
  private final byte[] aad = new byte[80];
  private int sealedLength;

  @Setup(Level.Trial)
  public void setUp() {
    SecureRandom r = new SecureRandom();
    byte[] key = new byte[32];
    r.nextBytes(key);
    Cipher c = provider.equals("JDK") ? JdkAesGcm.INSTANCE : BouncyCastleAesGcm.INSTANCE;
    session = c.session(key);
    plain = new byte[size];
    r.nextBytes(plain);
    sealed = new byte[size + Cipher.TAG_LENGTH];
    out = new byte[size + Cipher.TAG_LENGTH];
    sealedLength = session.seal(openNonce, aad, plain, 0, size, sealed, 0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }

  @Benchmark
  public int seal() {
    nonce[11]++; // a fresh nonce per call, as in real use (the JDK refuses nonce reuse)
    return session.seal(nonce, aad, plain, 0, size, out, 0);
  }

  @Benchmark
  public int open() {
    return session.open(openNonce, aad, sealed, 0, sealedLength, out, 0);
  }
}
