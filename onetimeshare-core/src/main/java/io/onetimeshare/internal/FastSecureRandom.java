package io.onetimeshare.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The default source of ids, keys, salts, nonces and tokens: one DRBG ({@code SecureRandom.getInstance("DRBG")},
 * NIST SP 800-90A, seeded by the JDK from the operating system) per thread. Same strength as the platform default,
 * without the global lock and the read of /dev/urandom per call that NativePRNG takes on Linux.
 */
public final class FastSecureRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<SecureRandom> LOCAL = ThreadLocal.withInitial(FastSecureRandom::drbg);
  public static final FastSecureRandom INSTANCE = new FastSecureRandom();

  private FastSecureRandom() {
    super();
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  @Override
  public void nextBytes(byte[] bytes) {
    LOCAL.get().nextBytes(bytes);
  }

  @Override
  public byte[] generateSeed(int numBytes) {
    return LOCAL.get().generateSeed(numBytes);
  }

  @Override
  public String getAlgorithm() {
    return "DRBG (thread-local)";
  }
}
