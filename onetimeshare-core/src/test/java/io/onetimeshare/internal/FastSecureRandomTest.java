package io.onetimeshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.DrbgParameters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FastSecureRandomTest {
  @Test
  void drbgIs256BitWithReseeding() {
    FastSecureRandom.INSTANCE.nextBytes(new byte[16]);
    DrbgParameters.Instantiation p = (DrbgParameters.Instantiation) FastSecureRandom.parameters();
    assertTrue(p.getStrength() >= 256, p.toString());
    assertEquals(DrbgParameters.Capability.RESEED_ONLY, p.getCapability());
  }

  @Test
  void keepsWorkingAcrossReseeds() {
    byte[] last = new byte[32];
    for (int i = 0; i < FastSecureRandom.RESEED_EVERY + 10; i++) {
      byte[] b = new byte[32];
      FastSecureRandom.INSTANCE.nextBytes(b);
      if (i % 10_000 == 0) {
        assertNotEquals(Arrays.toString(last), Arrays.toString(b));
        last = b;
      }
    }
  }
}
