package io.onetimeshare.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The default source of ids, keys, salts, nonces and tokens: one DRBG per thread (NIST SP 800-90A, the JDK's
 * Hash_DRBG with SHA-256), instantiated explicitly at 256-bit security strength with reseeding enabled, seeded by the
 * JDK from the operating system, and reseeded from it after every {@value #RESEED_EVERY} requests. Same strength as
 * the keys it makes, without the global lock and the read of /dev/urandom per call that NativePRNG takes on Linux.
 */
public final class FastSecureRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  /** Requests per thread between reseeds from the operating system. */
  static final int RESEED_EVERY = 1 << 16;
  private static final ThreadLocal<Local> LOCAL = ThreadLocal.withInitial(() -> new Local(drbg()));

  private static final class Local {
    final SecureRandom drbg;
    int uses;

    Local(SecureRandom drbg) {
      this.drbg = drbg;
    }

    SecureRandom next() {
      if (++uses >= RESEED_EVERY) {
        uses = 0;
        drbg.reseed();
      }
      return drbg;
    }
  }
  public static final FastSecureRandom INSTANCE = new FastSecureRandom();

  private FastSecureRandom() {
    super();
  }

  static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG", java.security.DrbgParameters.instantiation(256,
          java.security.DrbgParameters.Capability.RESEED_ONLY,
          "onetimeshare".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no 256-bit DRBG", e);
    }
  }

  /** The parameters the DRBG of the calling thread was instantiated with (for tests). */
  static java.security.SecureRandomParameters parameters() {
    return LOCAL.get().drbg.getParameters();
  }

  @Override
  public void nextBytes(byte[] bytes) {
    LOCAL.get().next().nextBytes(bytes);
  }

  @Override
  public byte[] generateSeed(int numBytes) {
    return LOCAL.get().drbg.generateSeed(numBytes);
  }

  @Override
  public String getAlgorithm() {
    return "DRBG (thread-local)";
  }
}
