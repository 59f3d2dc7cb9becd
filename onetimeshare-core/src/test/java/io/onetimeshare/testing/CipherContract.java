package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.IntegrityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The {@link Cipher} contract: a known answer from NIST's GCM test vectors, round trips at every length that
 * matters, and refusal of every tampered input (ciphertext, tag, nonce, associated data, key, truncation). Every
 * implementation runs it by extending this class (core's test-jar publishes it): the JDK's and BouncyCastle's.
 */
public abstract class CipherContract {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  protected abstract Cipher cipher();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
    try (Cipher.Session s = cipher().session(key)) {
      byte[] out = new byte[plain.length + Cipher.TAG_LENGTH];
      assertEquals(out.length, s.seal(nonce, aad, plain, 0, plain.length, out, 0));
      return out;
    }
  }

  private byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
    try (Cipher.Session s = cipher().session(key)) {
      byte[] out = new byte[Math.max(0, sealed.length - Cipher.TAG_LENGTH)];
      int n = s.open(nonce, aad, sealed, 0, sealed.length, out, 0);
      return Arrays.copyOf(out, n);
    }
  }

  /** NIST GCM test vector (gcmEncryptExtIV256.rsp, Count 0 of Keylen 256, IVlen 96, PTlen 128, AADlen 128). */
  @Test
  void knownAnswer() {
    byte[] key = HEX.parseHex("92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b");
    byte[] nonce = HEX.parseHex("ac93a1a6145299bde902f21a");
    byte[] plain = HEX.parseHex("2d71bcfa914e4ac045b2aa60955fad24");
    byte[] aad = HEX.parseHex("1e0889016f67601c8ebea4943bc23ad6");
    byte[] expected = HEX.parseHex("8995ae2e6df3dbf96fac7b7137bae67f" + "eca5aa77d51d4a0a14d9c51e1da474ab");
    assertArrayEquals(expected, seal(key, nonce, aad, plain));
    assertArrayEquals(plain, open(key, nonce, aad, expected));
  }

  @Test
  void roundTripsAtEveryLengthThatMatters() {
    byte[] key = random(32);
    for (int len : new int[] {0, 1, 15, 16, 17, 255, 4096, 65536 + 3}) {
      byte[] nonce = random(12);
      byte[] aad = random(len % 40);
      byte[] plain = random(len);
      byte[] sealed = seal(key, nonce, aad, plain);
      assertFalse(len > 16 && Arrays.equals(Arrays.copyOf(sealed, len), plain), "not the identity");
      assertArrayEquals(plain, open(key, nonce, aad, sealed), "length " + len);
    }
  }

  @Test
  void sealsAtAnOffset() {
    byte[] key = random(32);
    byte[] nonce = random(12);
    byte[] in = random(100);
    byte[] out = new byte[10 + 50 + Cipher.TAG_LENGTH];
    try (Cipher.Session s = cipher().session(key)) {
      assertEquals(66, s.seal(nonce, new byte[0], in, 25, 50, out, 10));
      byte[] back = new byte[60];
      assertEquals(50, s.open(nonce, new byte[0], out, 10, 66, back, 5));
      assertArrayEquals(Arrays.copyOfRange(in, 25, 75), Arrays.copyOfRange(back, 5, 55));
    }
  }

  @Test
  void everyTamperedInputIsRefused() {
    byte[] key = random(32);
    byte[] nonce = random(12);
    byte[] aad = random(20);
    byte[] plain = random(64);
    byte[] sealed = seal(key, nonce, aad, plain);
    for (int i = 0; i < sealed.length; i++) {
      byte[] t = sealed.clone();
      t[i] ^= 1;
      assertThrows(IntegrityException.class, () -> open(key, nonce, aad, t), "bit flipped at " + i);
    }
    byte[] otherNonce = nonce.clone();
    otherNonce[11] ^= 1;
    assertThrows(IntegrityException.class, () -> open(key, otherNonce, aad, sealed), "nonce");
    byte[] otherAad = aad.clone();
    otherAad[0] ^= 1;
    assertThrows(IntegrityException.class, () -> open(key, nonce, otherAad, sealed), "associated data");
    assertThrows(IntegrityException.class, () -> open(random(32), nonce, aad, sealed), "key");
    assertThrows(IntegrityException.class, () -> open(key, nonce, aad, Arrays.copyOf(sealed, sealed.length - 1)),
        "truncated");
    assertThrows(IntegrityException.class, () -> open(key, nonce, aad, Arrays.copyOf(sealed, 15)), "shorter than a tag");
  }

  @Test
  void sessionKeepsACopyOfTheKey() {
    byte[] key = random(32);
    byte[] kept = key.clone();
    byte[] nonce = random(12);
    try (Cipher.Session s = cipher().session(key)) {
      Arrays.fill(key, (byte) 0); // the caller wipes its copy at once
      byte[] out = new byte[3 + Cipher.TAG_LENGTH];
      s.seal(nonce, new byte[0], new byte[] {1, 2, 3}, 0, 3, out, 0);
      assertArrayEquals(new byte[] {1, 2, 3}, open(kept, nonce, new byte[0], out));
    }
  }
}
