package io.onetimeshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.onetimeshare.spi.SecretVault;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The facade wraps the vault in {@link TimedVault} whenever events are observed (every server with metrics), so a
 * vault method it does not override falls back to the SPI's default, silently: the charged put, peek and claim lost
 * Redis's single round trip that way, and the file vault's {@code syncUpload} (its segments' fsync) did nothing.
 */
class TimedVaultTest {

  @Test
  void everyVaultMethodIsForwardedNotLeftToTheSpisDefault() {
    List<String> missing = new ArrayList<>();
    for (Method m : SecretVault.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != SecretVault.class) {
        continue;
      }
      try {
        Method own = TimedVault.class.getMethod(m.getName(), m.getParameterTypes());
        if (own.getDeclaringClass() != TimedVault.class) {
          missing.add(m.getName() + Arrays.toString(m.getParameterTypes()));
        }
      } catch (NoSuchMethodException e) {
        missing.add(m.getName() + Arrays.toString(m.getParameterTypes()));
      }
    }
    assertEquals(List.of(), missing, "methods TimedVault leaves to the SPI's defaults");
  }
}
