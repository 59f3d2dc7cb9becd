package io.onetimeshare.internal;

import io.onetimeshare.crypto.Argon2idParameters;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (version 0x13) through BouncyCastle. Stateless. */
public final class Argon2id {
  private Argon2id() {}

  /** Derives 32 bytes from {@code password} and {@code salt}. The caller wipes both and the result. */
  public static byte[] derive(byte[] password, byte[] salt, Argon2idParameters p) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(p.memoryKiB())
        .withIterations(p.iterations())
        .withParallelism(p.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[32];
    gen.generateBytes(password, out);
    params.clear();
    return out;
  }
}
