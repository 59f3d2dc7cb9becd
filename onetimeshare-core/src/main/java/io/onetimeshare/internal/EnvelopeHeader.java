package io.onetimeshare.internal;

import io.onetimeshare.IntegrityException;
import io.onetimeshare.UnsupportedEnvelopeException;
import io.onetimeshare.crypto.Argon2idParameters;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The public header of an envelope, format v1 (see docs/format.md for the byte layout). Immutable.
 */
public record EnvelopeHeader(
    Mode mode,
    int segmentSize,
    @Nullable Argon2idParameters kdf,
    byte[] salt,
    byte[] noncePrefix,
    byte[] commitment,
    byte[] wrap) {

  private static final byte[] MAGIC = {'O', 'T', 'S', 'E'};
  public static final int VERSION = 1;
  public static final int MIN_SEGMENT = 16;
  public static final int MAX_SEGMENT = 8 * 1024 * 1024;
  public static final int SALT_LENGTH = 16;
  public static final int NONCE_PREFIX_LENGTH = 7;
  public static final int COMMITMENT_LENGTH = 32;
  public static final int CHECKSUM_LENGTH = 8;
  static final int FIXED_PREFIX = 10;
  static final int KDF_BLOCK = 1 + 4 + 4 + 1 + 1 + SALT_LENGTH;
  static final int TRAILER = NONCE_PREFIX_LENGTH + COMMITMENT_LENGTH + CHECKSUM_LENGTH;
  static final int KDF_ARGON2ID = 1;
  /** HPKE suite of mode 3 (RFC 9180 ids): DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. */
  public static final int HPKE_KEM = 0x0020;
  public static final int HPKE_KDF = 0x0001;
  public static final int HPKE_AEAD = 0x0002;
  public static final int HPKE_ENC_LENGTH = 32;
  public static final int HPKE_WRAPPED_LENGTH = 32 + 16;
  /** Mode 3's block: kem_id, kdf_id, aead_id (u16 each), enc (32), the wrapped master key (48). */
  public static final int WRAP_BLOCK = 6 + HPKE_ENC_LENGTH + HPKE_WRAPPED_LENGTH;

  /** Sealing mode. */
  public enum Mode {
    RANDOM_KEY(1),
    PASSPHRASE(2),
    /** A random key wrapped with HPKE to a recipient's public key (secret requests, issue 23). */
    PUBLIC_KEY(3);

    final int code;

    Mode(int code) {
      this.code = code;
    }
  }

  /** A header of mode 1 or 2 (no wrapped key). */
  public EnvelopeHeader(Mode mode, int segmentSize, @Nullable Argon2idParameters kdf, byte[] salt, byte[] noncePrefix,
      byte[] commitment) {
    this(mode, segmentSize, kdf, salt, noncePrefix, commitment, new byte[0]);
  }

  public EnvelopeHeader {
    salt = salt.clone();
    noncePrefix = noncePrefix.clone();
    commitment = commitment.clone();
    wrap = wrap.clone();
    if ((mode == Mode.PUBLIC_KEY) != (wrap.length == WRAP_BLOCK)) {
      throw new IllegalArgumentException("a wrapped key belongs to mode 3 only, and is " + WRAP_BLOCK + " bytes");
    }
  }

  @Override
  public byte[] wrap() {
    return wrap.clone();
  }

  public int length() {
    return bodyOffset(mode) + TRAILER;
  }

  /** Where the nonce prefix starts: after the fixed prefix and the mode's own block. */
  static int bodyOffset(Mode mode) {
    return FIXED_PREFIX + (mode == Mode.PASSPHRASE ? KDF_BLOCK : 0) + (mode == Mode.PUBLIC_KEY ? WRAP_BLOCK : 0);
  }

  /** Mode 3: what HPKE authenticates besides the wrapped key: the header up to and including the suite ids. */
  public byte[] wrapAad() {
    byte[] head = encodeBeforeCommitment();
    return Arrays.copyOf(head, FIXED_PREFIX + 6);
  }

  /** The header bytes up to (not including) the commitment: what the commitment covers. */
  byte[] encodeBeforeCommitment() {
    try {
      ByteArrayOutputStream bo = new ByteArrayOutputStream(96);
      DataOutputStream o = new DataOutputStream(bo);
      o.write(MAGIC);
      o.writeByte(VERSION);
      o.writeByte(mode.code);
      o.writeInt(segmentSize);
      if (mode == Mode.PASSPHRASE) {
        Argon2idParameters k = java.util.Objects.requireNonNull(kdf);
        o.writeByte(KDF_ARGON2ID);
        o.writeInt(k.memoryKiB());
        o.writeInt(k.iterations());
        o.writeByte(k.parallelism());
        o.writeByte(salt.length);
        o.write(salt);
      }
      if (mode == Mode.PUBLIC_KEY) {
        o.write(wrap);
      }
      o.write(noncePrefix);
      return bo.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The full header: everything, the commitment and the checksum. */
  public byte[] encode() {
    byte[] head = encodeBeforeCommitment();
    ByteBuffer b = ByteBuffer.allocate(head.length + COMMITMENT_LENGTH + CHECKSUM_LENGTH);
    b.put(head).put(commitment);
    byte[] sum = Bytes.sha256(Arrays.copyOf(b.array(), b.position()));
    b.put(sum, 0, CHECKSUM_LENGTH);
    return b.array();
  }

  /** Reads exactly one header from the start of a full envelope stream. */
  public static byte[] readHeaderBytes(InputStream in) throws IOException {
    byte[] fixed = in.readNBytes(FIXED_PREFIX);
    checkFixed(fixed, fixed.length);
    int rest = (fixed[5] == Mode.PASSPHRASE.code ? KDF_BLOCK : 0) + (fixed[5] == Mode.PUBLIC_KEY.code ? WRAP_BLOCK : 0)
        + TRAILER;
    byte[] tail = in.readNBytes(rest);
    if (tail.length != rest) {
      throw new IntegrityException("The envelope is truncated inside its header.");
    }
    byte[] all = Arrays.copyOf(fixed, FIXED_PREFIX + rest);
    System.arraycopy(tail, 0, all, FIXED_PREFIX, rest);
    return all;
  }

  private static void checkFixed(byte[] b, int len) {
    if (len < FIXED_PREFIX) {
      throw new IntegrityException("The envelope is truncated inside its header.");
    }
    if (b[0] != MAGIC[0] || b[1] != MAGIC[1] || b[2] != MAGIC[2] || b[3] != MAGIC[3]) {
      throw new IntegrityException("This is not a OneTimeShare envelope (bad magic bytes).");
    }
    if ((b[4] & 0xff) != VERSION) {
      throw new UnsupportedEnvelopeException("The envelope has format version " + (b[4] & 0xff)
          + "; this library reads version " + VERSION + " only.");
    }
    if (b[5] != Mode.RANDOM_KEY.code && b[5] != Mode.PASSPHRASE.code && b[5] != Mode.PUBLIC_KEY.code) {
      throw new UnsupportedEnvelopeException("The envelope uses an unknown sealing mode " + (b[5] & 0xff) + ".");
    }
  }

  /**
   * Parses and checks a header: structure, version, checksum, segment size, and KDF parameters against {@code
   * ceiling}.
   */
  public static EnvelopeHeader parse(byte[] b, Argon2idParameters ceiling) {
    return parse(b, ceiling, true);
  }

  /**
   * Parses a header without its commitment and checksum (a secret's proof context, docs/http-api.md); the commitment
   * of the result is zeros.
   */
  public static EnvelopeHeader parseProofContext(byte[] context, Argon2idParameters ceiling) {
    return parse(Arrays.copyOf(context, context.length + COMMITMENT_LENGTH + CHECKSUM_LENGTH), ceiling, false);
  }

  private static EnvelopeHeader parse(byte[] b, Argon2idParameters ceiling, boolean checksum) {
    checkFixed(b, b.length);
    ByteBuffer in = ByteBuffer.wrap(b);
    in.position(5);
    byte code = in.get();
    Mode mode = code == Mode.RANDOM_KEY.code ? Mode.RANDOM_KEY : code == Mode.PASSPHRASE.code ? Mode.PASSPHRASE
        : Mode.PUBLIC_KEY;
    int expected = bodyOffset(mode) + TRAILER;
    if (b.length != expected) {
      throw new IntegrityException("The envelope header has the wrong length.");
    }
    byte[] sum = Bytes.sha256(Arrays.copyOf(b, expected - CHECKSUM_LENGTH));
    if (checksum && !Bytes.constantTimeEquals(Arrays.copyOf(sum, CHECKSUM_LENGTH),
        Arrays.copyOfRange(b, expected - CHECKSUM_LENGTH, expected))) {
      throw new IntegrityException("The envelope header is corrupted (checksum mismatch).");
    }
    int segmentSize = in.getInt();
    if (segmentSize < MIN_SEGMENT || segmentSize > MAX_SEGMENT) {
      throw new UnsupportedEnvelopeException("The envelope's segment size " + segmentSize + " is outside "
          + MIN_SEGMENT + ".." + MAX_SEGMENT + " bytes.");
    }
    Argon2idParameters kdf = null;
    byte[] salt = new byte[0];
    if (mode == Mode.PASSPHRASE) {
      int kdfId = in.get() & 0xff;
      if (kdfId != KDF_ARGON2ID) {
        throw new UnsupportedEnvelopeException("The envelope names an unknown key derivation function " + kdfId + ".");
      }
      long m = in.getInt() & 0xffffffffL;
      long t = in.getInt() & 0xffffffffL;
      int p = in.get() & 0xff;
      if (m > ceiling.memoryKiB() || t > ceiling.iterations() || p > ceiling.parallelism()) {
        throw new UnsupportedEnvelopeException("The envelope asks for Argon2id(m=" + m + " KiB, t=" + t + ", p=" + p
            + "), above this server's ceiling " + ceiling + "; refusing to derive.");
      }
      try {
        kdf = new Argon2idParameters((int) m, (int) t, p);
      } catch (RuntimeException e) {
        throw new UnsupportedEnvelopeException("The envelope's Argon2id parameters are invalid.");
      }
      int saltLen = in.get() & 0xff;
      if (saltLen != SALT_LENGTH) {
        throw new UnsupportedEnvelopeException("The envelope's salt length " + saltLen + " is not " + SALT_LENGTH + ".");
      }
      salt = new byte[SALT_LENGTH];
      in.get(salt);
    }
    byte[] wrap = new byte[0];
    if (mode == Mode.PUBLIC_KEY) {
      int kem = in.getShort() & 0xffff;
      int kdfId = in.getShort() & 0xffff;
      int aead = in.getShort() & 0xffff;
      if (kem != HPKE_KEM || kdfId != HPKE_KDF || aead != HPKE_AEAD) {
        throw new UnsupportedEnvelopeException("The envelope wraps its key with an unknown HPKE suite (KEM " + kem
            + ", KDF " + kdfId + ", AEAD " + aead + "); this library reads X25519, HKDF-SHA256, AES-256-GCM.");
      }
      wrap = new byte[WRAP_BLOCK];
      in.position(FIXED_PREFIX);
      in.get(wrap);
    }
    byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
    in.get(prefix);
    byte[] commitment = new byte[COMMITMENT_LENGTH];
    in.get(commitment);
    return new EnvelopeHeader(mode, segmentSize, kdf, salt, prefix, commitment, wrap);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeHeader h && Arrays.equals(encode(), h.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "EnvelopeHeader[mode=" + mode + ", segmentSize=" + segmentSize + ", kdf=" + kdf + "]";
  }
}
