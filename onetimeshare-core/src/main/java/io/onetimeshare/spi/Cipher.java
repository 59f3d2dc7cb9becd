package io.onetimeshare.spi;

import io.onetimeshare.IntegrityException;

/**
 * An AEAD cipher for one segment at a time: AES-256-GCM with a 96-bit nonce and a 128-bit tag.
 *
 * <p>{@code open} either returns the exact plaintext that was sealed with the same key, nonce and associated data,
 * or throws {@link IntegrityException}; it never returns other bytes. A null associated data is not allowed; pass an
 * empty array. Implementations are thread-safe; a {@link Session} is not (use one per thread).
 *
 * @since 0.1
 */
public interface Cipher {
  /** Key length in bytes (32). */
  int KEY_LENGTH = 32;
  /** Nonce length in bytes (12). */
  int NONCE_LENGTH = 12;
  /** Tag length in bytes (16). */
  int TAG_LENGTH = 16;

  /** A short name for logs and benchmarks, e.g. {@code "AES-256-GCM/JDK"}. */
  String name();

  /** Starts a session bound to a copy of {@code key} (32 bytes). Close it to wipe what the implementation can. */
  Session session(byte[] key);

  /** Seals and opens segments under one key. */
  interface Session extends AutoCloseable {
    /** Seals {@code len} bytes into {@code out} at {@code outOff}; returns {@code len + TAG_LENGTH}. */
    int seal(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff);

    /** Opens {@code len} bytes (ciphertext plus tag) into {@code out}; returns the plaintext length. */
    int open(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff);

    @Override
    void close();
  }
}
