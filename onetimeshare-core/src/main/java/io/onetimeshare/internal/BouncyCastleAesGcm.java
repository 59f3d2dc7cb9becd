package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.IntegrityException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** AES-256-GCM from BouncyCastle's lightweight API, kept for the side-by-side benchmark against {@link JdkAesGcm}. */
public final class BouncyCastleAesGcm implements Cipher {
  public static final BouncyCastleAesGcm INSTANCE = new BouncyCastleAesGcm();

  @Override
  public String name() {
    return "AES-256-GCM/BouncyCastle";
  }

  @Override
  public Session session(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key");
    }
    byte[] copy = key.clone();
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    return new Session() {
      @Override
      public int seal(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
        gcm.init(true, new AEADParameters(new KeyParameter(copy), TAG_LENGTH * 8, nonce, aad));
        int n = gcm.processBytes(in, off, len, out, outOff);
        try {
          return n + gcm.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
          throw new IllegalStateException("AES-GCM sealing failed", e);
        }
      }

      @Override
      public int open(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
        gcm.init(false, new AEADParameters(new KeyParameter(copy), TAG_LENGTH * 8, nonce, aad));
        int n = gcm.processBytes(in, off, len, out, outOff);
        try {
          return n + gcm.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
          throw new IntegrityException("A segment failed authentication.");
        }
      }

      @Override
      public void close() {
        Bytes.wipe(copy);
      }
    };
  }
}
