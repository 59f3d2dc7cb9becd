package io.onetimeshare.internal;

import io.onetimeshare.crypto.Argon2idParameters;

/**
 * Argon2id (version 0x13), 32-byte output, no secret key or associated data: what envelopes use. Stateless. The lanes
 * fill in parallel ({@link Argon2Engine}); the result is the RFC's, byte for byte, whatever the thread count.
 */
public final class Argon2id {
  private static final byte[] NONE = new byte[0];

  private Argon2id() {}

  /** Derives 32 bytes from {@code password} and {@code salt}. The caller wipes both and the result. */
  public static byte[] derive(byte[] password, byte[] salt, Argon2idParameters p) {
    return Argon2Engine.argon2id(password, salt, NONE, NONE, p.memoryKiB(), p.iterations(), p.parallelism(), 32);
  }
}
