package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.IntegrityException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

/** AES-256-GCM through the JDK's JCA provider (AES-NI and CLMUL intrinsics on x86-64). The default. */
public final class JdkAesGcm implements Cipher {
  public static final JdkAesGcm INSTANCE = new JdkAesGcm();

  @Override
  public String name() {
    return "AES-256-GCM/JDK";
  }

  @Override
  public Session session(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key");
    }
    return new JdkSession(new SecretKeySpec(key, "AES"));
  }

  /**
   * Whether this JDK's {@code SecretKeySpec} wipes itself on {@code destroy()} (JDK 17's throws
   * {@code DestroyFailedException}: asking anyway cost an exception with its stack trace per session, about 3% of a
   * loaded server's allocation).
   */
  private static final boolean KEYS_DESTROYABLE = probeDestroy();

  private static boolean probeDestroy() {
    SecretKeySpec probe = new SecretKeySpec(new byte[32], "AES");
    try {
      probe.destroy();
      return true;
    } catch (DestroyFailedException | RuntimeException e) {
      return false;
    }
  }

  private static final ThreadLocal<javax.crypto.Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is missing from this JDK", e);
    }
  });

  private static final class JdkSession implements Session {
    private final SecretKeySpec key;

    JdkSession(SecretKeySpec key) {
      this.key = key;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
      javax.crypto.Cipher c = CIPHERS.get(); // per thread, re-keyed each call: streams may move between threads
      try {
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        c.updateAAD(aad);
        return c.doFinal(in, off, len, out, outOff);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM sealing failed", e);
      }
    }

    @Override
    public int open(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
      javax.crypto.Cipher c = CIPHERS.get();
      try {
        c.init(javax.crypto.Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        c.updateAAD(aad);
        return c.doFinal(in, off, len, out, outOff);
      } catch (AEADBadTagException e) {
        throw new IntegrityException("A segment failed authentication.");
      } catch (GeneralSecurityException e) {
        throw new IntegrityException("A segment could not be opened.", e);
      }
    }

    @Override
    public void close() {
      if (!KEYS_DESTROYABLE) {
        return; // JDK 17's SecretKeySpec cannot be destroyed; nothing more can be done from here
      }
      try {
        key.destroy(); // wipes the copy on JDKs that implement it
      } catch (DestroyFailedException | RuntimeException ignored) {
        // as on JDK 17
      }
    }
  }
}
