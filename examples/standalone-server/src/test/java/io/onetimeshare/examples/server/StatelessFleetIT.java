package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.s3.S3ProxyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 37, stateless instances proven: three server processes behind a real load balancer (HAProxy, round robin, no
 * stickiness, health checks on /ready) on one Redis (records, claims, uploads' progress) and one S3 API (s3proxy,
 * bodies). A large {@code ots share} whose instances are killed under it resumes through the balancer and completes,
 * and {@code ots open} gets the exact bytes through another instance; 1,000 secrets raced by 10 openers give exactly
 * one 200 each; a rolling restart of all three under load loses no acknowledged secret.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatelessFleetIT {
  @TempDir
  static Path dir;
  static RedisProcess redis;
  static S3ProxyProcess s3;
  static final List<Instance> fleet = new ArrayList<>();
  static Process haproxy;
  static String lb;
  static Path credentials;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One server process on its own port (killed with SIGKILL, stopped with SIGTERM, started again on the port). */
  static final class Instance {
    final int port;
    Process process;

    Instance(int port) {
      this.port = port;
    }

    void start() throws Exception {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-jar", Path.of("target/onetimeshare-server.jar").toString(), "--port",
          Integer.toString(port), "--bind", "127.0.0.1", "--storage", "redis", "--redis-uri", redis.uri(),
          "--body-store", "s3", "--s3-bucket", "ots-fleet", "--s3-endpoint", s3.endpoint().toString(),
          "--s3-path-style", "on", "--s3-credentials-file", credentials.toString(), "--rate-create", "off",
          "--rate-open", "off", "--rate-create-bytes", "off", "--max-size", "2GB", "--warmup", "off",
          "--request-log", "off", "--shutdown-grace", "5s", "--trusted-proxies", "127.0.0.1"));
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start();
      Await.until(() -> ready("http://127.0.0.1:" + port), Duration.ofSeconds(60), "instance " + port + " ready");
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: finishes what is in flight within the shutdown grace
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within its grace");
    }
  }

  static boolean ready(String base) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
    s3 = S3ProxyProcess.start("ots-fleet");
    credentials = Files.writeString(dir.resolve("s3-credentials"), S3ProxyProcess.ACCESS_KEY + "\n"
        + S3ProxyProcess.SECRET_KEY + "\n");
    for (int i = 0; i < 3; i++) {
      Instance in = new Instance(freePort());
      in.start();
      fleet.add(in);
    }
    int port = freePort();
    StringBuilder cfg = new StringBuilder("""
        global
          maxconn 4096
        defaults
          mode http
          timeout connect 2s
          timeout client 120s
          timeout server 120s
          retries 3
          option redispatch
        frontend ots
          bind 127.0.0.1:%d
          default_backend fleet
        backend fleet
          balance roundrobin
          option httpchk GET /ready
          default-server inter 300ms fall 1 rise 2
        """.formatted(port));
    for (Instance in : fleet) {
      cfg.append("  server s").append(in.port).append(" 127.0.0.1:").append(in.port).append(" check\n");
    }
    Path conf = Files.writeString(dir.resolve("haproxy.cfg"), cfg.toString());
    haproxy = new ProcessBuilder("haproxy", "-db", "-f", conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    lb = "http://127.0.0.1:" + port;
    Await.until(() -> ready(lb), Duration.ofSeconds(30), "the balancer answers");
  }

  @AfterAll
  static void stop() throws Exception {
    if (haproxy != null) {
      haproxy.destroyForcibly();
    }
    for (Instance in : fleet) {
      in.kill();
    }
    s3.close();
    redis.close();
  }

  record Run(int code, List<String> out, String err) {}

  static Run ots(Path stdout, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("../cli/target/onetimeshare-cli.jar").toString()));
    cmd.addAll(List.of(args));
    Path out = stdout != null ? stdout : Files.createTempFile(dir, "ots", ".out");
    Path err = Files.createTempFile(dir, "ots", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ots ended");
    return new Run(p.exitValue(), stdout != null ? List.of() : Files.readAllLines(out), Files.readString(err));
  }

  static byte[] sha256(Path p) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = new byte[1 << 20];
      int n;
      while ((n = in.read(b)) > 0) {
        d.update(b, 0, n);
      }
    }
    return d.digest();
  }

  @Test
  void aLargeShareSurvivesItsInstancesBeingKilledAndOpensThroughAnotherInstance() throws Exception {
    Path big = dir.resolve("big.bin");
    try (OutputStream out = Files.newOutputStream(big)) {
      byte[] b = new byte[1 << 20];
      for (int i = 0; i < 1024; i++) { // 1 GiB
        ThreadLocalRandom.current().nextBytes(b);
        out.write(b);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    AtomicBoolean sharing = new AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong redisPeak = new java.util.concurrent.atomic.AtomicLong();
    long redisBefore = usedMemory();
    try {
      // the upload's segments move to the bucket in parts as it goes: Redis holds a part or two, never the file
      Future<?> sampler = pool.submit(() -> {
        while (sharing.get()) {
          redisPeak.accumulateAndGet(usedMemory(), Math::max);
          Thread.sleep(100);
        }
        return null;
      });
      Future<Run> shared = pool.submit(() -> {
        try {
          return ots(null, "share", "--server", lb + "/", big.toString());
        } finally {
          sharing.set(false);
        }
      });
      // under way: kill one instance, start it again, then another (each serves every third request)
      Thread.sleep(2_000);
      fleet.get(0).kill();
      Thread.sleep(2_000);
      fleet.get(0).start();
      fleet.get(1).kill();
      Run r = shared.get(5, TimeUnit.MINUTES);
      sampler.get(10, TimeUnit.SECONDS);
      fleet.get(1).start();
      assertEquals(0, r.code(), r.err());
      long grew = redisPeak.get() - redisBefore;
      System.out.printf("[fleet] Redis used_memory during the 1 GiB share: +%.1f MiB at most%n", grew / 1048576.0);
      assertTrue(grew < 96L << 20, "Redis held the file, not a part or two of it: +" + (grew >> 20) + " MiB");
      assertEquals("*0", redis.command("KEYS ots:*:[0-9]*").trim(), "no segment left in Redis once shared");
      String link = r.out().stream().filter(l -> l.contains("/s/")).findFirst().orElseThrow();
      Path got = dir.resolve("got");
      Files.createDirectories(got);
      Run opened = ots(null, "open", "-o", got.resolve("big.bin").toString(), link);
      assertEquals(0, opened.code(), opened.err());
      assertArrayEquals(sha256(big), sha256(got.resolve("big.bin")), "the exact bytes, through another instance");
      assertEquals(3, ots(null, "open", link).code(), "once");
    } finally {
      pool.shutdownNow();
      Files.deleteIfExists(big);
    }
  }

  /** Redis's {@code used_memory}, in bytes. */
  private static long usedMemory() throws IOException {
    for (String line : redis.command("INFO memory").split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IOException("no used_memory in INFO memory");
  }

  private HttpResponse<String> create(String text) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(lb + "/api/secrets")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text
            + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> open(String id, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(lb + "/api/secrets/" + id + "/open"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aThousandSecretsRacedByTenOpenersAcrossTheFleetOpenExactlyOnceEach() throws Exception {
    List<String[]> secrets = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> made = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = i;
        made.add(pool.submit(() -> {
          HttpResponse<String> c = create("secret " + n);
          assertEquals(201, c.statusCode(), c.body());
          secrets.add(new String[] {RedisStorageHttpTest.field(c.body(), "id"),
              RedisStorageHttpTest.field(c.body(), "key"), "secret " + n});
          return null;
        }));
      }
      for (Future<?> f : made) {
        f.get();
      }
      Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
      AtomicInteger other = new AtomicInteger();
      List<Future<?>> openers = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        List<String[]> order = new ArrayList<>(secrets);
        Collections.shuffle(order);
        openers.add(pool.submit(() -> {
          for (String[] s : order) {
            HttpResponse<String> o = open(s[0], s[1]);
            if (o.statusCode() == 200) {
              assertEquals(s[2], o.body());
              opened.computeIfAbsent(s[0], k -> new AtomicInteger()).incrementAndGet();
            } else if (o.statusCode() != 404) {
              other.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : openers) {
        f.get();
      }
      assertEquals(0, other.get(), "every open was a 200 or a 404");
      assertEquals(1000, opened.size(), "every secret opened");
      assertTrue(opened.values().stream().allMatch(c -> c.get() == 1), "and each exactly once");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRollingRestartOfTheWholeFleetUnderLoadLosesNoAcknowledgedSecret() throws Exception {
    List<String[]> acknowledged = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> load = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int worker = t;
        load.add(pool.submit(() -> {
          for (int i = 0; !stop.get(); i++) {
            String text = "rolling " + worker + "-" + i;
            try {
              HttpResponse<String> c = create(text);
              if (c.statusCode() == 201) {
                acknowledged.add(new String[] {RedisStorageHttpTest.field(c.body(), "id"),
                    RedisStorageHttpTest.field(c.body(), "key"), text});
              } else {
                failed.incrementAndGet();
              }
            } catch (IOException e) {
              failed.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Thread.sleep(1_000);
      for (Instance in : fleet) { // one at a time, as a rolling update does: stop, start, wait for ready
        in.stop();
        in.start();
        Await.until(() -> ready(lb), Duration.ofSeconds(30), "the balancer answers");
        Thread.sleep(1_000); // the balancer's health check takes it back (rise 2 x 300 ms)
      }
      stop.set(true);
      for (Future<?> f : load) {
        f.get();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertTrue(acknowledged.size() > 100, "load ran: " + acknowledged.size());
    for (String[] s : acknowledged) {
      HttpResponse<String> o = open(s[0], s[1]);
      assertEquals(200, o.statusCode(), "an acknowledged secret is there after the roll: " + o.body());
      assertEquals(s[2], o.body());
    }
    System.out.println("rolling restart: " + acknowledged.size() + " acknowledged creates, all opened once; "
        + failed.get() + " refused during the roll (none acknowledged)");
    assertTrue(failed.get() <= acknowledged.size() / 20, "few requests refused during the roll: " + failed.get());
  }
}
