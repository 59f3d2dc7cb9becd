package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Round trips per request of the server as users start it (issue 35): {@code --storage redis} with every other option
 * at its default (limits on, {@code --rate-fallback 30s}, {@code --redis-replicas auto}), counted in the commands
 * Redis receives (MONITOR; commands a script runs are not counted). A create is one script (its budgets folded in)
 * and, with a replica, the {@code WAIT} sent behind it in the same flush; an open is the same plus the clean-up after
 * delivery that nobody waits for.
 */
class RoundTripsIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void withAReplicaACreateIsOneScriptAndItsWaitAndSoIsAnOpen() throws Exception {
    try (RedisProcess primary = RedisProcess.start("--appendonly", "no");
         RedisProcess replica = RedisProcess.start("--appendonly", "no", "--replicaof", "127.0.0.1",
             Integer.toString(primary.port))) {
      awaitOnline(primary);
      try (StandaloneServer s = server(primary)) {
        List<String> create = counted(primary, s);
        assertEquals(List.of("EVALSHA", "WAIT"), create.subList(0, 2), "create " + create);
        assertEquals(2, create.size(), "create " + create);
      }
    }
  }

  @Test
  void onASingleNodeACreateIsOneScriptAndAnOpenOneScriptPlusItsCleanUp() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no"); StandaloneServer s = server(redis)) {
      List<String> create = counted(redis, s);
      assertEquals(List.of("EVALSHA"), create, "create " + create);
    }
  }

  private static StandaloneServer server(RedisProcess redis) throws Exception {
    return StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--warmup", "off", "--request-log", "off", "--storage", "redis", "--redis-uri", redis.uri()}, Map.of()));
  }

  private static void awaitOnline(RedisProcess primary) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!primary.bulk("INFO replication").contains("state=online") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(primary.bulk("INFO replication").contains("state=online"), "the replica is online");
  }

  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\".*\"key\":\"([^\"]+)\"");

  /** A warm-up create and open, then one create and one open counted; answers the create's commands. */
  private static List<String> counted(RedisProcess redis, StandaloneServer s) throws Exception {
    String[] first = create(s);
    assertEquals(200, open(s, first).statusCode());
    Thread.sleep(500); // the warm-up's clean-up (NOSCRIPT, then EVAL) is done
    String[][] made = new String[1][];
    List<String> create = monitor(redis, () -> made[0] = create(s));
    List<String> open = monitor(redis, () -> assertEquals(200, open(s, made[0]).statusCode()));
    System.out.println("RoundTripsIT: create sends " + create + ", open sends " + open);
    // the open: the claim (and its WAIT when there are replicas), then the unawaited clean-up
    int claim = create.contains("WAIT") ? 2 : 1;
    assertEquals(create.subList(0, claim), open.subList(0, claim), "open " + open);
    assertTrue(open.size() <= claim + 1, "nothing else on an open's path: " + open);
    return create;
  }

  private static String[] create(StandaloneServer s) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
            + "/api/secrets")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"counted\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    Matcher m = ID.matcher(r.body());
    assertTrue(m.find(), r.body());
    return new String[] {m.group(1), m.group(2)};
  }

  private static HttpResponse<String> open(StandaloneServer s, String[] secret) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/secrets/" + secret[0]
            + "/open")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + secret[1] + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The commands clients sent while {@code action} ran (MONITOR, see {@link RedisProcess#monitor}). */
  private static List<String> monitor(RedisProcess redis, RedisProcess.Action action) throws Exception {
    // replication's own traffic (REPLCONF, PING from the replica link) is not a client's round trip, and neither is
    // a connection's handshake (HELLO, CLIENT, AUTH, SELECT): a lane that waits for replicas connects once and is kept
    // (at most four per primary, 60 s idle), so a request that happens to start one pays it once, not per request
    return redis.monitor(action).stream()
        .filter(c -> !List.of("REPLCONF", "PING", "HELLO", "CLIENT", "AUTH", "SELECT").contains(c)).toList();
  }
}
