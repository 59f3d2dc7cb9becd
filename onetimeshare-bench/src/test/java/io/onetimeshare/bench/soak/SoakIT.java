package io.onetimeshare.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The soak in CI: 30 s per storage (60 s in all); longer runs use Soak's main (default 5 minutes). */
class SoakIT {
  static final int SECONDS = Integer.getInteger("ots.soak.seconds", 30);

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void steadyCreateOpenLosesNothingLeaksNothing(String storage) throws Exception {
    Soak.Report r = Soak.run(storage, SECONDS, 200);
    System.err.println(r.markdown());
    assertTrue(r.pairs() > SECONDS * 100L, "ran at a steady rate: " + r.pairs());
    assertEquals(0, r.errors());
    assertEquals(0, r.violations());
    assertEquals(0, r.expiredLeft(), "every expired secret is reclaimed");
    assertTrue(r.heapEndBytes() < r.heapStartBytes() + 32L * 1024 * 1024,
        "no heap growth beyond noise: " + r.heapStartBytes() + " -> " + r.heapEndBytes());
  }
}
