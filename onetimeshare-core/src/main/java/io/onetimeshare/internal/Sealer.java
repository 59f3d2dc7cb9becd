package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.crypto.Argon2idParameters;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/** Seals and opens envelopes (format v1): key handling, header, commitment, the segment streams. Thread-safe. */
public final class Sealer {
  private final Cipher cipher;
  private final KdfGate gate;
  private final Argon2idParameters params;
  private final Argon2idParameters ceiling;
  private final int segmentSize;
  private final SecureRandom random;

  public Sealer(Cipher cipher, KdfGate gate, Argon2idParameters params, Argon2idParameters ceiling, int segmentSize,
      SecureRandom random) {
    this.cipher = cipher;
    this.gate = gate;
    this.params = params;
    this.ceiling = ceiling;
    this.segmentSize = segmentSize;
    this.random = random;
  }

  /** The master key and header of a secret being sealed. Wipe it when the body is written. */
  public record Prepared(byte[] masterKey, EnvelopeHeader header, byte[] headerBytes) {
    public void wipe() {
      Bytes.wipe(masterKey);
    }
  }

  /** Chooses fresh randomness and derives the master key: random, or Argon2id over the passphrase. */
  public Prepared prepare(String id, byte @Nullable [] passphrase) {
    byte[] prefix = Bytes.random(random, EnvelopeHeader.NONCE_PREFIX_LENGTH);
    if (passphrase == null) {
      return prepare(id, EnvelopeHeader.Mode.RANDOM_KEY, Bytes.random(random, Cipher.KEY_LENGTH), null, new byte[0],
          prefix, segmentSize);
    }
    byte[] salt = Bytes.random(random, EnvelopeHeader.SALT_LENGTH);
    byte[] master = gate.run(params.memoryKiB(), () -> Argon2id.derive(passphrase, salt, params));
    return prepare(id, EnvelopeHeader.Mode.PASSPHRASE, master, params, salt, prefix, segmentSize);
  }

  /** Deterministic preparation from given randomness (for test vectors). Takes ownership of {@code master}. */
  public static Prepared prepare(String id, EnvelopeHeader.Mode mode, byte[] master,
      @Nullable Argon2idParameters kdf, byte[] salt, byte[] noncePrefix, int segmentSize) {
    if (mode == EnvelopeHeader.Mode.PUBLIC_KEY) {
      throw new IllegalArgumentException("mode 3 is prepared by prepareToPublicKey");
    }
    EnvelopeHeader draft = new EnvelopeHeader(mode, segmentSize, kdf, salt, noncePrefix, new byte[32]);
    byte[] commitment = KeySchedule.commitment(master, id, draft.encodeBeforeCommitment());
    EnvelopeHeader header = new EnvelopeHeader(mode, segmentSize, kdf, salt, noncePrefix, commitment);
    return new Prepared(master, header, header.encode());
  }

  /**
   * Mode 3 (issue 23): a fresh random master key wrapped with HPKE to {@code recipientPublicKey}; the sender keeps no
   * key to share (only the holder of the private key opens it).
   */
  public Prepared prepareToPublicKey(String id, byte[] recipientPublicKey) {
    return prepareToPublicKey(id, Bytes.random(random, Cipher.KEY_LENGTH), recipientPublicKey, null,
        Bytes.random(random, EnvelopeHeader.NONCE_PREFIX_LENGTH), segmentSize, random);
  }

  /**
   * Deterministic mode-3 preparation (test vectors): {@code ephemeral} is HPKE's ephemeral private key (null: fresh).
   * Takes ownership of {@code master}.
   */
  public static Prepared prepareToPublicKey(String id, byte[] master, byte[] recipientPublicKey,
      byte @Nullable [] ephemeral, byte[] noncePrefix, int segmentSize, SecureRandom random) {
    byte[] zeroWrap = new byte[EnvelopeHeader.WRAP_BLOCK];
    java.nio.ByteBuffer.wrap(zeroWrap).putShort((short) EnvelopeHeader.HPKE_KEM)
        .putShort((short) EnvelopeHeader.HPKE_KDF).putShort((short) EnvelopeHeader.HPKE_AEAD);
    EnvelopeHeader skeleton = new EnvelopeHeader(EnvelopeHeader.Mode.PUBLIC_KEY, segmentSize, null, new byte[0],
        noncePrefix, new byte[32], zeroWrap);
    byte[] wrap = Hpke.wrap(recipientPublicKey, master, id, skeleton.wrapAad(), ephemeral, random);
    EnvelopeHeader draft = new EnvelopeHeader(EnvelopeHeader.Mode.PUBLIC_KEY, segmentSize, null, new byte[0],
        noncePrefix, new byte[32], wrap);
    byte[] commitment = KeySchedule.commitment(master, id, draft.encodeBeforeCommitment());
    EnvelopeHeader header = new EnvelopeHeader(EnvelopeHeader.Mode.PUBLIC_KEY, segmentSize, null, new byte[0],
        noncePrefix, commitment, wrap);
    return new Prepared(master, header, header.encode());
  }

  /** A stream that seals what is written to it into {@code sink}; closing it writes the final segment. */
  public OutputStream sealing(String id, Prepared p, OutputStream sink) {
    byte[] enc = KeySchedule.encryptionKey(p.masterKey());
    Cipher.Session s = cipher.session(enc);
    Bytes.wipe(enc);
    return new SealingOutputStream(s, p.header().noncePrefix(), KeySchedule.aad(id, p.headerBytes()),
        p.header().segmentSize(), sink);
  }

  /** Parses a stored header, refusing unknown versions and KDF costs above the ceiling. */
  public EnvelopeHeader parse(byte[] headerBytes) {
    return EnvelopeHeader.parse(headerBytes, ceiling);
  }

  /** The master key for a credential: the key itself, or Argon2id over the passphrase (bounded by the gate). */
  public byte[] deriveMaster(EnvelopeHeader h, boolean passphrase, byte[] secret) {
    if (!passphrase) {
      return secret.clone();
    }
    Argon2idParameters kdf = java.util.Objects.requireNonNull(h.kdf());
    return gate.run(kdf.memoryKiB(), () -> Argon2id.derive(secret, h.salt(), kdf));
  }

  /** The key commitment of {@code master} for {@code h}: what a proof must equal ({@code proofContext} + id). */
  public static byte[] commitment(byte[] master, String id, EnvelopeHeader h) {
    return KeySchedule.commitment(master, id, h.encodeBeforeCommitment());
  }

  /** Constant-time check of the key commitment: true when {@code master} is the key this header was sealed under. */
  public static boolean verify(byte[] master, String id, EnvelopeHeader h) {
    byte[] expected = KeySchedule.commitment(master, id, h.encodeBeforeCommitment());
    return Bytes.constantTimeEquals(expected, h.commitment());
  }

  /** A stream of plaintext from sealed segments. Closing it closes {@code body}. */
  public InputStream opening(byte[] master, String id, EnvelopeHeader h, byte[] headerBytes, InputStream body) {
    byte[] enc = KeySchedule.encryptionKey(master);
    Cipher.Session s = cipher.session(enc);
    Bytes.wipe(enc);
    return new OpeningInputStream(body, s, h.noncePrefix(), KeySchedule.aad(id, headerBytes), h.segmentSize());
  }

  public KdfGate gate() {
    return gate;
  }
}
