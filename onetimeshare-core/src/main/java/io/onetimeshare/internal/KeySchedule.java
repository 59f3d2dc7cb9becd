package io.onetimeshare.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Derives the per-secret subkeys and the associated data from the master key (format v1). */
final class KeySchedule {
  static final byte[] ENCRYPTION_LABEL = "onetimeshare/v1/encryption".getBytes(StandardCharsets.US_ASCII);
  static final byte[] COMMITMENT_LABEL = "onetimeshare/v1/commitment".getBytes(StandardCharsets.US_ASCII);

  private KeySchedule() {}

  /** HMAC-SHA256(master, "onetimeshare/v1/encryption"). */
  static byte[] encryptionKey(byte[] master) {
    return hmac(master, ENCRYPTION_LABEL);
  }

  /** HMAC-SHA256(master, "onetimeshare/v1/commitment" || 0x00 || u8 len(id) || id || header-before-commitment). */
  static byte[] commitment(byte[] master, String id, byte[] headerBeforeCommitment) {
    byte[] idb = Bytes.ascii(id);
    byte[] msg = new byte[COMMITMENT_LABEL.length + 2 + idb.length + headerBeforeCommitment.length];
    int p = 0;
    System.arraycopy(COMMITMENT_LABEL, 0, msg, p, COMMITMENT_LABEL.length);
    p += COMMITMENT_LABEL.length;
    msg[p++] = 0;
    msg[p++] = (byte) idb.length;
    System.arraycopy(idb, 0, msg, p, idb.length);
    p += idb.length;
    System.arraycopy(headerBeforeCommitment, 0, msg, p, headerBeforeCommitment.length);
    return hmac(master, msg);
  }

  /** u8 len(id) || id || full header: the associated data of every segment. */
  static byte[] aad(String id, byte[] header) {
    byte[] idb = Bytes.ascii(id);
    byte[] aad = new byte[1 + idb.length + header.length];
    aad[0] = (byte) idb.length;
    System.arraycopy(idb, 0, aad, 1, idb.length);
    System.arraycopy(header, 0, aad, 1 + idb.length, header.length);
    return aad;
  }

  /** nonce prefix (7) || u32 big-endian segment index || last flag (0 or 1). */
  static void nonce(byte[] prefix, long index, boolean last, byte[] out) {
    System.arraycopy(prefix, 0, out, 0, EnvelopeHeader.NONCE_PREFIX_LENGTH);
    out[7] = (byte) (index >>> 24);
    out[8] = (byte) (index >>> 16);
    out[9] = (byte) (index >>> 8);
    out[10] = (byte) index;
    out[11] = (byte) (last ? 1 : 0);
  }

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  });

  private static byte[] hmac(byte[] key, byte[] msg) {
    try {
      Mac mac = MAC.get(); // one per thread: Mac.getInstance's provider lookup is costly per request
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(msg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 could not be keyed", e);
    }
  }
}
