package io.onetimeshare.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateLimit;

/** The rate-limit option parser: a valid limit that round-trips, or a clear InvalidArgumentException. */
class RateLimitFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse(String text) {
    if (text == null) {
      return; // the API is @NullMarked: null is a caller bug, rejected by requireNonNull
    }
    try {
      RateLimit r = RateLimit.parse(text);
      assertEquals(r, RateLimit.parse(r.toString()));
    } catch (InvalidArgumentException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("an error needs a message");
      }
    }
  }
}
