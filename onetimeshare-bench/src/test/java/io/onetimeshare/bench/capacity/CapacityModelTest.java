package io.onetimeshare.bench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The capacity model (issue 38) on the costs measured by {@code capacity.sh} on the project's machine
 * ({@code capacity/coefficients.jsonl}, the run docs/capacity.md quotes): its self-check (the 64 KiB flow predicted
 * from the other runs, within 20% of the measured one), and plans that move the way they must.
 */
class CapacityModelTest {
  static final Path MEASURED = Path.of("capacity/coefficients.jsonl");

  static CapacityModel.Costs costs() throws Exception {
    Map<String, JsonNode> runs = CapacityModel.read(MEASURED);
    return CapacityModel.Costs.fit(runs, runs.get("machine"));
  }

  @Test
  void thePredictionOfARunTheModelWasNotFittedOnIsWithinTwentyPercent() throws Exception {
    JsonNode measured = CapacityModel.read(MEASURED).get("flow-64k");
    double predicted = CapacityModel.predictFlowRps(costs(), measured.path("bytes").asDouble());
    double ratio = predicted / measured.path("rps").asDouble();
    assertTrue(Math.abs(ratio - 1) <= 0.2, "predicted " + predicted + ", measured " + measured.path("rps") + ": "
        + ratio);
  }

  private static int instances(List<String> plan) {
    Matcher m = Pattern.compile("-> [0-9.]+ cores at peak.*?: (\\d+) instances").matcher(String.join("\n", plan));
    assertTrue(m.find(), String.join("\n", plan));
    return Integer.parseInt(m.group(1));
  }

  private static CapacityModel.Workload load(double creates, double mean, boolean s3) {
    return new CapacityModel.Workload(creates, creates, Map.of(mean, 1.0), 7200, 3, 100, 2, s3);
  }

  @Test
  void plansGrowWithTheLoadNeverBelowTwoInstancesAndAnObjectStoreEmptiesRedis() throws Exception {
    CapacityModel.Costs c = costs();
    assertEquals(2, instances(CapacityModel.plan(c, load(1, 4096, false))), "at least two, to survive one");
    int small = instances(CapacityModel.plan(c, load(2000, 4096, false)));
    int big = instances(CapacityModel.plan(c, load(20000, 4096, false)));
    assertTrue(big >= small * 5, small + " then " + big);
    List<String> vault = CapacityModel.plan(c, load(50, 1 << 20, false));
    List<String> s3 = CapacityModel.plan(c, load(50, 1 << 20, true));
    assertTrue(String.join("\n", s3).contains("Object storage"), String.join("\n", s3));
    assertTrue(redisMemory(s3) * 20 < redisMemory(vault), "records only in Redis: " + redisMemory(s3) + " against "
        + redisMemory(vault));
  }

  private static double redisMemory(List<String> plan) {
    Matcher m = Pattern.compile("-> ([0-9.]+) (B|KiB|MiB|GiB|TiB);").matcher(plan.stream()
        .filter(l -> l.startsWith("Redis memory")).findFirst().orElseThrow());
    assertTrue(m.find());
    return CapacityModel.size(m.group(1) + m.group(2).replace("B", "").replace("Ki", "KiB").replace("Mi", "MiB")
        .replace("Gi", "GiB").replace("Ti", "TiB"));
  }
}
