package io.onetimeshare.internal;

import io.onetimeshare.IntegrityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * Envelope mode 3 (issue 23): the master key wrapped with HPKE (RFC 9180, base mode) to a recipient's X25519 public
 * key, with HKDF-SHA256 and AES-256-GCM (BouncyCastle's implementation). {@code info} binds the secret id; the
 * header's fixed prefix and suite ids are the associated data. See docs/format.md, "Mode 3: to a public key".
 */
public final class Hpke {
  /** info = this label || u8 len(id) || id. */
  static final byte[] INFO_LABEL = "onetimeshare/v1/key-to-public-key".getBytes(StandardCharsets.US_ASCII);
  /** The fingerprint: SHA-256(this label || public key), first 16 bytes. */
  static final byte[] FINGERPRINT_LABEL = "onetimeshare/v1/public-key".getBytes(StandardCharsets.US_ASCII);
  public static final int KEY_LENGTH = 32;

  private Hpke() {}

  private static HPKE suite() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
  }

  /** A fresh X25519 key pair: {private (32), public (32)}. */
  public static byte[][] newKeyPair(SecureRandom random) {
    X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(random);
    return new byte[][] {sk.getEncoded(), sk.generatePublicKey().getEncoded()};
  }

  /** The public key of an X25519 private key. */
  public static byte[] publicKeyOf(byte[] privateKey) {
    checkLength(privateKey, "private");
    return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /**
   * Whether anyone could answer to {@code publicKey} (issue 36, finding 10): a key whose X25519 agreement with a
   * clamped scalar is all zero (u = 0, 1, p - 1 and the other points of small order, or their non-canonical forms)
   * gives every answerer an all-zero shared secret, which RFC 9180 section 7.1.4 requires them to refuse; and a key with
   * its top bit set is a non-canonical encoding no honest client produces. Such a request could never be answered.
   */
  public static boolean answerable(byte[] publicKey) {
    checkLength(publicKey, "public");
    if ((publicKey[31] & 0x80) != 0) {
      return false;
    }
    byte[] scalar = new byte[32];
    scalar[0] = 9; // any scalar: clamping makes it a multiple of the cofactor, which maps a small-order point to 0
    org.bouncycastle.math.ec.rfc7748.X25519.clampPrivateKey(scalar);
    byte[] shared = new byte[32];
    boolean nonZero = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, publicKey, 0, shared, 0);
    Arrays.fill(shared, (byte) 0);
    return nonZero;
  }

  /** 16 bytes naming a public key, for a link's fragment: a swapped key shows as a different fingerprint. */
  public static byte[] fingerprint(byte[] publicKey) {
    checkLength(publicKey, "public");
    byte[] m = new byte[FINGERPRINT_LABEL.length + publicKey.length];
    System.arraycopy(FINGERPRINT_LABEL, 0, m, 0, FINGERPRINT_LABEL.length);
    System.arraycopy(publicKey, 0, m, FINGERPRINT_LABEL.length, publicKey.length);
    return Arrays.copyOf(Bytes.sha256(m), 16);
  }

  static byte[] info(String id) {
    byte[] idb = Bytes.ascii(id);
    return ByteBuffer.allocate(INFO_LABEL.length + 1 + idb.length).put(INFO_LABEL).put((byte) idb.length).put(idb)
        .array();
  }

  /**
   * Wraps {@code master} to {@code publicKey}: the mode-3 block (suite ids, enc, wrapped key). {@code ephemeral} is
   * the sender's ephemeral private key for test vectors; null draws a fresh one.
   *
   * @param aad the header's first 16 bytes ({@link EnvelopeHeader#wrapAad()})
   */
  static byte[] wrap(byte[] publicKey, byte[] master, String id, byte[] aad, byte @Nullable [] ephemeral,
      SecureRandom random) {
    checkLength(publicKey, "public");
    HPKE hpke = suite();
    X25519PrivateKeyParameters e = ephemeral == null ? new X25519PrivateKeyParameters(random)
        : new X25519PrivateKeyParameters(ephemeral, 0);
    AsymmetricCipherKeyPair ekp = new AsymmetricCipherKeyPair(e.generatePublicKey(), e);
    try {
      HPKEContextWithEncapsulation ctx = hpke.setupBaseS(new X25519PublicKeyParameters(publicKey, 0), info(id), ekp);
      byte[] ct = ctx.seal(aad, master);
      return ByteBuffer.allocate(EnvelopeHeader.WRAP_BLOCK).putShort((short) EnvelopeHeader.HPKE_KEM)
          .putShort((short) EnvelopeHeader.HPKE_KDF).putShort((short) EnvelopeHeader.HPKE_AEAD)
          .put(ctx.getEncapsulation()).put(ct).array();
    } catch (InvalidCipherTextException e2) {
      throw new IllegalStateException("HPKE could not seal", e2);
    }
  }

  /**
   * The master key in a mode-3 header, for the holder of {@code privateKey}.
   *
   * @throws IntegrityException the key is not the one the secret was sealed to, or the header was changed
   */
  public static byte[] unwrap(byte[] privateKey, EnvelopeHeader h, String id) {
    checkLength(privateKey, "private");
    byte[] block = h.wrap();
    byte[] enc = Arrays.copyOfRange(block, 6, 6 + EnvelopeHeader.HPKE_ENC_LENGTH);
    byte[] ct = Arrays.copyOfRange(block, 6 + EnvelopeHeader.HPKE_ENC_LENGTH, block.length);
    HPKE hpke = suite();
    X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(privateKey, 0);
    AsymmetricCipherKeyPair kp = new AsymmetricCipherKeyPair(sk.generatePublicKey(), sk);
    try {
      return hpke.open(enc, kp, info(id), h.wrapAad(), ct, null, null, null);
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      throw new IntegrityException("The private key does not open this secret: it was sealed to another key, or "
          + "its header was changed.");
    }
  }

  private static void checkLength(byte[] key, String what) {
    if (key.length != KEY_LENGTH) {
      throw new io.onetimeshare.InvalidArgumentException("An X25519 " + what + " key is 32 bytes.");
    }
  }
}
