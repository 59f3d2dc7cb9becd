package io.onetimeshare.bench.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The capacity model (issue 38, docs/capacity.md): from per-request costs measured by {@code capacity.sh} on a machine
 * (server CPU, Redis CPU, Redis commands and bytes, Redis memory per stored secret) and a workload (creates and opens
 * per second, a size distribution, how long secrets wait, a peak factor), how many instances, Redis shards and how
 * much memory and object storage, with the reasoning printed.
 *
 * <p>The costs are linear in the body's size: {@code cost(s) = a + b * s}, fitted on creates of two sizes; an open's
 * fixed part comes from the create+open flow (an open = 2 x flow - create); its per-byte part is taken equal to the
 * create's (both stream the body through AES-GCM and Redis once), which the self-check tests: fitted on 4 KiB and
 * 256 KiB creates and the 4 KiB flow, it predicts the 64 KiB flow's requests per second on the measuring machine and
 * compares with the measured run.
 *
 * <pre>
 *   java -cp benchmarks.jar io.onetimeshare.bench.capacity.CapacityModel --coefficients FILE \
 *       --creates 200 [--opens 200] [--sizes 4KiB:0.9,1MiB:0.09,100MiB:0.01] [--wait 2h] [--peak 3] \
 *       [--latency-ms 100] [--cores 2] [--bodies vault|s3] [--shard-memory 25GiB]
 *   java -cp benchmarks.jar io.onetimeshare.bench.capacity.CapacityModel --self-check FILE
 * </pre>
 */
public final class CapacityModel {
  /** A cost linear in the body's size. */
  record Linear(double a, double b) {
    double at(double bytes) {
      return a + b * bytes;
    }

    static Linear through(double x1, double y1, double x2, double y2) {
      double b = (y2 - y1) / (x2 - x1);
      return new Linear(y1 - b * x1, b);
    }
  }

  /** What one create and one open cost, by size, as measured. */
  record Costs(Linear createServerMs, Linear openServerMs, Linear createRedisMs, Linear openRedisMs,
      Linear createLoadMs, Linear openLoadMs, Linear createCalls, Linear openCalls, Linear createRedisBytes,
      Linear openRedisBytes, Linear storedBytes, double serverRssMb, int cores, String machine) {

    static Costs fit(Map<String, JsonNode> runs, JsonNode machine) {
      JsonNode c1 = need(runs, "create-4k");
      JsonNode c2 = need(runs, "create-256k");
      JsonNode f1 = need(runs, "flow-4k");
      double s1 = c1.path("bytes").asDouble();
      double s2 = c2.path("bytes").asDouble();
      double fs = f1.path("bytes").asDouble();
      Linear cs = line(c1, c2, "server_cpu_ms");
      Linear cr = line(c1, c2, "redis_cpu_ms");
      Linear cl = line(c1, c2, "load_cpu_ms");
      Linear cc = line(c1, c2, "redis_calls");
      Linear cb = Linear.through(s1, c1.path("redis_bytes_in").asDouble() + c1.path("redis_bytes_out").asDouble(),
          s2, c2.path("redis_bytes_in").asDouble() + c2.path("redis_bytes_out").asDouble());
      Linear mem = line(c1, c2, "redis_memory_per_request");
      return new Costs(cs, open(f1, cs, fs, "server_cpu_ms"), cr, open(f1, cr, fs, "redis_cpu_ms"), cl,
          open(f1, cl, fs, "load_cpu_ms"), cc, new Linear(2 * f1.path("redis_calls").asDouble() - cc.at(fs), 0),
          cb, new Linear(2 * (f1.path("redis_bytes_in").asDouble() + f1.path("redis_bytes_out").asDouble())
              - cb.at(fs) - cb.b() * fs, cb.b()), mem, f1.path("server_rss_mb").asDouble(),
          machine.path("cores").asInt(2), machine.path("cpu").asText("?"));
    }

    private static Linear line(JsonNode r1, JsonNode r2, String field) {
      return Linear.through(r1.path("bytes").asDouble(), r1.path(field).asDouble(), r2.path("bytes").asDouble(),
          r2.path(field).asDouble());
    }

    /** An open: 2 x the flow's per request minus a create, at the flow's size; per byte as a create's. */
    private static Linear open(JsonNode flow, Linear create, double size, String field) {
      double atSize = 2 * flow.path(field).asDouble() - create.at(size);
      return new Linear(atSize - create.b() * size, create.b());
    }

    private static JsonNode need(Map<String, JsonNode> runs, String name) {
      JsonNode r = runs.get(name);
      if (r == null) {
        throw new IllegalArgumentException("the coefficients have no run " + name + " (capacity.sh writes it)");
      }
      return r;
    }
  }

  /** A workload. */
  record Workload(double creates, double opens, Map<Double, Double> sizes, double waitSeconds, double peak,
      double latencyMs, int coresPerInstance, boolean s3, double shardMemory) {
    Workload(double creates, double opens, Map<Double, Double> sizes, double waitSeconds, double peak,
        double latencyMs, int coresPerInstance, boolean s3) {
      this(creates, opens, sizes, waitSeconds, peak, latencyMs, coresPerInstance, s3, 25.0 * (1L << 30));
    }

    double meanSize() {
      return sizes.entrySet().stream().mapToDouble(e -> e.getKey() * e.getValue()).sum();
    }
  }

  private CapacityModel() {
  }

  static Map<String, JsonNode> read(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("{")) {
        JsonNode n = json.readTree(line);
        if (n.has("run")) {
          runs.put(n.path("run").asText(), n);
        } else if (n.has("machine")) {
          runs.put("machine", n.path("machine"));
        } else if (n.has("redis_benchmark_set_rps")) {
          runs.put("redis-benchmark", n);
        }
      }
    }
    return runs;
  }

  /** The plan, in lines a person reads: each figure with how it was reached. */
  static List<String> plan(Costs c, Workload w) {
    List<String> out = new ArrayList<>();
    double creates = w.creates() * w.peak();
    double opens = w.opens() * w.peak();
    double mean = w.meanSize();
    // a body spreads over its size's cost linearly, so the mean size gives the mean cost
    double serverMs = creates * c.createServerMs().at(mean) + opens * c.openServerMs().at(mean);
    double redisMs = creates * c.createRedisMs().at(w.s3() ? 0 : mean) + opens * c.openRedisMs().at(w.s3() ? 0 : mean);
    // utilisation that keeps queueing delay within the latency target (M/M/1-like: delay grows as 1/(1-u))
    double target = w.latencyMs() <= 50 ? 0.5 : w.latencyMs() <= 200 ? 0.6 : 0.7;
    double serverCores = serverMs / 1000;
    int instances = Math.max(2, (int) Math.ceil(serverCores / (w.coresPerInstance() * target)));
    out.add(String.format(Locale.ROOT, "Peak load: %.2f creates/s and %.2f opens/s (x%.1f the average), mean body "
        + "%s.", creates, opens, w.peak(), bytes(mean)));
    // with the bodies in a bucket, Redis sees a record whatever the size: its costs at size 0 (the fits' intercepts)
    double redisSize = w.s3() ? 0 : mean;
    out.add(String.format(Locale.ROOT, "Server CPU: %.3f ms a create and %.3f ms an open at that size (measured on "
        + "%s) -> %.2f cores at peak; at %.0f%% utilisation (latency target %.0f ms) and %d cores an instance: "
        + "%d instances (at least 2, to survive one).", c.createServerMs().at(mean), c.openServerMs().at(mean),
        c.machine(), serverCores, target * 100, w.latencyMs(), w.coresPerInstance(), instances));
    double redisCores = redisMs / 1000;
    double calls = creates * c.createCalls().at(redisSize) + opens * c.openCalls().at(redisSize);
    double net = creates * c.createRedisBytes().at(redisSize) + opens * c.openRedisBytes().at(redisSize);
    double stored = w.creates() * w.waitSeconds();
    double perSecret = c.storedBytes().at(redisSize);
    double redisMemory = stored * perSecret;
    // Redis runs commands on one core: a shard is one core kept at half (replication, persistence, spikes), and holds
    // at most --shard-memory of secrets
    int byCpu = (int) Math.ceil(redisCores / 0.5);
    int byMemory = (int) Math.ceil(redisMemory / w.shardMemory());
    int shards = Math.max(1, Math.max(byCpu, byMemory));
    out.add(String.format(Locale.ROOT, "Redis CPU: %.3f ms a create and %.3f ms an open -> %.2f cores at peak, "
        + "%.0f commands/s, %s/s in and out; a shard is one core kept at 50%%: %d by CPU.",
        c.createRedisMs().at(redisSize), c.openRedisMs().at(redisSize), redisCores, calls, bytes(net), byCpu));
    out.add(String.format(Locale.ROOT, "Redis memory: %.0f secrets waiting on average (%.2f creates/s x %.0f s), "
        + "%s each in Redis%s -> %s; at most %s a shard: %d by memory. Redis shards: %d%s (twice the memory with "
        + "one replica each).", stored, w.creates(), w.waitSeconds(), bytes(perSecret),
        w.s3() ? " (records only: bodies in the bucket)" : "", bytes(redisMemory), bytes(w.shardMemory()), byMemory,
        shards, shards > 1 ? " (Redis Cluster)" : ""));
    if (w.s3()) {
      double objects = stored * mean;
      out.add(String.format(Locale.ROOT, "Object storage: %s held on average, %s written a week (%.0f objects a "
          + "day); each body is read once and deleted.", bytes(objects), bytes(w.creates() * mean * 604_800),
          w.creates() * 86_400));
    }
    out.add(String.format(Locale.ROOT, "Instance memory: %.0f MB resident measured under load (heap and JIT); "
        + "a 1 Gi limit with the heap at 60%% leaves room for buffers of uploads in flight (one request, at most 8 MiB, "
        + "each).", c.serverRssMb()));
    return out;
  }

  /** Predicts the flow's requests per second on the measuring machine at {@code bytes}: every core busy. */
  static double predictFlowRps(Costs c, double bytes) {
    double perRequest = (c.createServerMs().at(bytes) + c.openServerMs().at(bytes) + c.createRedisMs().at(bytes)
        + c.openRedisMs().at(bytes) + c.createLoadMs().at(bytes) + c.openLoadMs().at(bytes)) / 2;
    return c.cores() * 1000 / perRequest;
  }

  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  }

  static double size(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long unit = t.endsWith("KIB") ? 1L << 10 : t.endsWith("MIB") ? 1L << 20 : t.endsWith("GIB") ? 1L << 30 : 1;
    return Double.parseDouble(t.replaceAll("[A-Z]+$", "")) * unit;
  }

  static double seconds(String s) {
    String t = s.trim();
    double n = Double.parseDouble(t.replaceAll("[a-z]+$", ""));
    return t.endsWith("d") ? n * 86_400 : t.endsWith("h") ? n * 3_600 : t.endsWith("m") ? n * 60 : n;
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String file = o.getOrDefault("coefficients", o.get("self-check"));
    if (file == null) {
      System.err.println("usage: --coefficients FILE --creates N [--opens N] [--sizes 4KiB:0.9,1MiB:0.1] [--wait 2h]"
          + " [--peak 3] [--latency-ms 100] [--cores 2] [--bodies vault|s3] | --self-check FILE");
      System.exit(2);
    }
    Map<String, JsonNode> runs = read(Path.of(file));
    Costs c = Costs.fit(runs, runs.getOrDefault("machine", new ObjectMapper().createObjectNode()));
    if (o.containsKey("self-check")) {
      JsonNode measured = runs.get("flow-64k");
      double predicted = predictFlowRps(c, measured.path("bytes").asDouble());
      double ratio = predicted / measured.path("rps").asDouble();
      System.out.printf(Locale.ROOT, "self-check: the 64 KiB flow, predicted %.0f requests/s from the 4 KiB and 256 "
          + "KiB creates and the 4 KiB flow, measured %.0f: %.2f (%s within 20%%)%n", predicted,
          measured.path("rps").asDouble(), ratio, Math.abs(ratio - 1) <= 0.2 ? "" : "NOT");
      System.exit(Math.abs(ratio - 1) <= 0.2 ? 0 : 1);
    }
    Map<Double, Double> sizes = new LinkedHashMap<>();
    for (String part : o.getOrDefault("sizes", "4KiB:1").split(",")) {
      String[] kv = part.split(":");
      sizes.put(size(kv[0]), Double.parseDouble(kv[1]));
    }
    double creates = Double.parseDouble(o.getOrDefault("creates", "10"));
    Workload w = new Workload(creates, Double.parseDouble(o.getOrDefault("opens", Double.toString(creates))),
        sizes, seconds(o.getOrDefault("wait", "2h")), Double.parseDouble(o.getOrDefault("peak", "3")),
        Double.parseDouble(o.getOrDefault("latency-ms", "100")), Integer.parseInt(o.getOrDefault("cores", "2")),
        o.getOrDefault("bodies", "vault").equals("s3"), size(o.getOrDefault("shard-memory", "25GiB")));
    plan(c, w).forEach(System.out::println);
  }
}
