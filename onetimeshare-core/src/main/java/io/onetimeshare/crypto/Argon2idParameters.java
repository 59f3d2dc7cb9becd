package io.onetimeshare.crypto;

import io.onetimeshare.InvalidArgumentException;

/**
 * Argon2id cost parameters (version 0x13). Written into each envelope, so they can be raised later without breaking
 * secrets sealed before.
 *
 * @param memoryKiB memory in KiB (at least 8 x parallelism)
 * @param iterations passes over memory (t), at least 1
 * @param parallelism lanes (p), 1 to 255
 * @since 0.1
 */
public record Argon2idParameters(int memoryKiB, int iterations, int parallelism) {

  public Argon2idParameters {
    if (parallelism < 1 || parallelism > 255) {
      throw new InvalidArgumentException("Argon2id parallelism must be between 1 and 255.");
    }
    if (iterations < 1) {
      throw new InvalidArgumentException("Argon2id iterations must be at least 1.");
    }
    if (memoryKiB < 8 * parallelism) {
      throw new InvalidArgumentException("Argon2id memory must be at least 8 KiB per lane.");
    }
  }

  /**
   * The default: RFC 9106's second recommended option (section 4, "if much less memory is available"), m = 64 MiB,
   * t = 3, p = 4, which is also what argon2-cffi and the original stack use.
   */
  public static Argon2idParameters ofDefaults() {
    return new Argon2idParameters(64 * 1024, 3, 4);
  }

  /** OWASP's minimum for Argon2id (Password Storage Cheat Sheet): m = 19 MiB, t = 2, p = 1. */
  public static Argon2idParameters owaspMinimum() {
    return new Argon2idParameters(19 * 1024, 2, 1);
  }

  /** The default ceiling accepted when reading envelopes: m = 256 MiB, t = 10, p = 8. */
  public static Argon2idParameters defaultCeiling() {
    return new Argon2idParameters(256 * 1024, 10, 8);
  }

  /** Whether every cost here is at most the one in {@code ceiling}. */
  public boolean isWithin(Argon2idParameters ceiling) {
    return memoryKiB <= ceiling.memoryKiB && iterations <= ceiling.iterations && parallelism <= ceiling.parallelism;
  }

  @Override
  public String toString() {
    return "Argon2id(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ")";
  }
}
