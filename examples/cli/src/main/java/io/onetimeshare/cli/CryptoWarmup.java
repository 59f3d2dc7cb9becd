package io.onetimeshare.cli;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets AES-GCM compiled before a large transfer needs it (issue 25, lever 2). The JDK's AES-GCM is fast only once C2
 * has compiled its callers with their intrinsics; a transfer calls it once per 256 KiB segment, so on its own it
 * reaches C2's threshold only after some hundred MiB, sealing or opening at a tenth of the speed until then (measured:
 * {@code GaloisCounterMode$GCMDecrypt.doFinal} compiled about 5 s into a 1 GiB open). A daemon thread seals and opens
 * many small buffers of throwaway data with a throwaway key, on the same calls, while the request to the server is
 * under way. Started only for transfers large enough to gain from it.
 */
final class CryptoWarmup {
  /** Transfers from this size on start the warm-up. */
  static final long FROM_BYTES = 32L << 20;
  private static final int ROUNDS = 1200;

  private CryptoWarmup() {}

  static void startIf(long bytes) {
    if (bytes >= FROM_BYTES) {
      Thread t = new Thread(CryptoWarmup::run, "ots-crypto-warmup");
      t.setDaemon(true);
      t.start();
    }
  }

  private static void run() {
    try {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      SecretKeySpec k = new SecretKeySpec(key, "AES");
      byte[] plain = new byte[16 * 1024]; // above the JDK's parallel threshold, as a real segment is
      byte[] sealed = new byte[plain.length + 16];
      byte[] back = new byte[plain.length];
      byte[] iv = new byte[12];
      Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
      Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
      for (int i = 0; i < ROUNDS; i++) {
        iv[8] = (byte) (i >>> 24);
        iv[9] = (byte) (i >>> 16);
        iv[10] = (byte) (i >>> 8);
        iv[11] = (byte) i;
        seal.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        seal.updateAAD(iv);
        seal.doFinal(plain, 0, plain.length, sealed, 0);
        open.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
        open.updateAAD(iv);
        open.doFinal(sealed, 0, sealed.length, back, 0);
      }
      java.util.Arrays.fill(key, (byte) 0);
    } catch (GeneralSecurityException e) {
      // nothing lost: the transfer compiles the same code itself, later
    }
  }
}
