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

  /**
   * The least a client accepts when it stretches a passphrase with parameters someone else chose (a server's proof
   * context): OWASP's cheapest recommended configuration, m = 7 MiB with t = 5, or as much work: memory at least 7 MiB
   * and memory x passes at least 7 MiB x 5 (OWASP's table lists 46 MiB x 1, 19 MiB x 2, 12 MiB x 3, 9 MiB x 4,
   * 7 MiB x 5 as equivalent). {@link #owaspMinimum()} and {@link #ofDefaults()} are above it.
   */
  public static Argon2idParameters clientFloor() {
    return new Argon2idParameters(7 * 1024, 5, 1);
  }

  /**
   * Whether these parameters cost at least as much as {@code floor} for an attacker: no less memory, and no less
   * memory x passes. Lanes do not count: they change the time per guess on parallel hardware, not the work.
   */
  public boolean isAtLeast(Argon2idParameters floor) {
    return memoryKiB >= floor.memoryKiB && (long) memoryKiB * iterations >= (long) floor.memoryKiB * floor.iterations;
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
