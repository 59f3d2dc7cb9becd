package io.onetimeshare;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HPKE base mode (RFC 9180) for DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256 with AES-128-GCM or AES-256-GCM, written
 * from the RFC with the JDK's own X25519, HMAC and AES-GCM only (none of the library's code, nor BouncyCastle): the
 * independent implementation the mode-3 vectors are checked with, itself checked against the RFC's Appendix A.1.
 */
final class RfcHpke {
  private final int aeadId;
  private final int nk;

  RfcHpke(int aeadId) {
    this.aeadId = aeadId;
    this.nk = aeadId == 1 ? 16 : 32;
  }

  record Schedule(byte[] sharedSecret, byte[] key, byte[] baseNonce) {}

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] i2osp(int v, int n) {
    byte[] b = new byte[n];
    for (int i = n - 1; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  static byte[] hmac(byte[] key, byte[] msg) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
    return m.doFinal(msg);
  }

  /** HKDF-Extract with an empty salt means a salt of HashLen zeros (RFC 5869). */
  static byte[] extract(byte[] salt, byte[] ikm) throws Exception {
    return hmac(salt.length == 0 ? new byte[32] : salt, ikm);
  }

  static byte[] expand(byte[] prk, byte[] info, int len) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] t = new byte[0];
    for (int i = 1; out.size() < len; i++) {
      t = hmac(prk, concat(t, info, new byte[] {(byte) i}));
      out.writeBytes(t);
    }
    return Arrays.copyOf(out.toByteArray(), len);
  }

  private byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm) throws Exception {
    return extract(salt, concat(ascii("HPKE-v1"), suite, ascii(label), ikm));
  }

  private byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int len) throws Exception {
    return expand(prk, concat(i2osp(len, 2), ascii("HPKE-v1"), suite, ascii(label), info), len);
  }

  private static final byte[] KEM_SUITE = concat(ascii("KEM"), i2osp(0x20, 2));

  private byte[] hpkeSuite() {
    return concat(ascii("HPKE"), i2osp(0x20, 2), i2osp(1, 2), i2osp(aeadId, 2));
  }

  static PublicKey pub(byte[] u) throws Exception {
    byte[] le = u.clone();
    for (int i = 0; i < 16; i++) { // the u-coordinate is little-endian; BigInteger wants big-endian
      byte t = le[i];
      le[i] = le[31 - i];
      le[31 - i] = t;
    }
    return KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
        new BigInteger(1, le)));
  }

  static PrivateKey priv(byte[] k) throws Exception {
    return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k));
  }

  static byte[] dh(byte[] sk, byte[] pk) throws Exception {
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(priv(sk));
    ka.doPhase(pub(pk), true);
    return ka.generateSecret();
  }

  /** The public key of a private key: X25519(sk, 9). */
  static byte[] publicOf(byte[] sk) throws Exception {
    byte[] nine = new byte[32];
    nine[0] = 9;
    return dh(sk, nine);
  }

  private byte[] kem(byte[] dh, byte[] enc, byte[] pkR) throws Exception {
    byte[] eaePrk = labeledExtract(KEM_SUITE, new byte[0], "eae_prk", dh);
    return labeledExpand(KEM_SUITE, eaePrk, "shared_secret", concat(enc, pkR), 32);
  }

  private Schedule schedule(byte[] shared, byte[] info) throws Exception {
    byte[] suite = hpkeSuite();
    byte[] pskIdHash = labeledExtract(suite, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(suite, new byte[0], "info_hash", info);
    byte[] context = concat(new byte[] {0}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(suite, shared, "secret", new byte[0]);
    return new Schedule(shared, labeledExpand(suite, secret, "key", context, nk),
        labeledExpand(suite, secret, "base_nonce", context, 12));
  }

  /** Sender side with a given ephemeral private key: the schedule (seq 0). */
  Schedule sender(byte[] skE, byte[] pkR, byte[] info) throws Exception {
    byte[] enc = publicOf(skE);
    return schedule(kem(dh(skE, pkR), enc, pkR), info);
  }

  /** Receiver side. */
  Schedule receiver(byte[] skR, byte[] enc, byte[] info) throws Exception {
    return schedule(kem(dh(skR, enc), enc, publicOf(skR)), info);
  }

  static byte[] seal(Schedule s, byte[] aad, byte[] pt) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(s.key(), "AES"), new GCMParameterSpec(128, s.baseNonce()));
    c.updateAAD(aad);
    return c.doFinal(pt);
  }

  static byte[] open(Schedule s, byte[] aad, byte[] ct) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(s.key(), "AES"), new GCMParameterSpec(128, s.baseNonce()));
    c.updateAAD(aad);
    return c.doFinal(ct);
  }
}
