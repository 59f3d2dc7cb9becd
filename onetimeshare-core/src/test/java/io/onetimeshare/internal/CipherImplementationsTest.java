package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.testing.CipherContract;
import org.junit.jupiter.api.Nested;

/** The cipher contract on both implementations that ship: the JDK's AES-GCM and BouncyCastle's. */
class CipherImplementationsTest {
  @Nested
  class Jdk extends CipherContract {
    @Override
    protected Cipher cipher() {
      return JdkAesGcm.INSTANCE;
    }
  }

  @Nested
  class BouncyCastle extends CipherContract {
    @Override
    protected Cipher cipher() {
      return BouncyCastleAesGcm.INSTANCE;
    }
  }
}
