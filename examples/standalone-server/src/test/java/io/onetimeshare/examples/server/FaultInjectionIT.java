package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes killed and real clients misbehaving, on loopback, bounded in time. */
class FaultInjectionIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  @TempDir
  Path tmp;

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  /** A server in a child JVM, its output copied to a log file by {@code drain} until the process exits. */
  record Child(Process process, int port, int metricsPort, Thread drain) {
    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would also close our end of the child's stdout,
     * losing whatever it prints while it shuts down.
     */
    void terminate() {
      process.toHandle().destroy();
    }

    /** Waits until everything the process printed is in the log (the process must have exited). */
    void awaitOutput() throws InterruptedException {
      drain.join(20_000);
    }
  }

  /** A server in a child JVM; its output goes to {@code log}. */
  static Child startChild(Path log, String... args) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        StandaloneServer.class.getName(), "--port", "0", "--bind", "127.0.0.1"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = listening.matcher(line);
      if (m.find()) {
        int port = Integer.parseInt(m.group(1));
        Matcher mm = Pattern.compile("metrics on http://[0-9.]+:(\\d+)/metrics").matcher(line);
        int metricsPort = mm.find() ? Integer.parseInt(mm.group(1)) : -1;
        Thread drain = new Thread(() -> {
          try (OutputStream f = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            f.write(seen.toString().getBytes(StandardCharsets.UTF_8));
            String more; // from the same reader: what it has buffered already is not lost
            while ((more = out.readLine()) != null) {
              f.write((more + "\n").getBytes(StandardCharsets.UTF_8));
              f.flush();
            }
          } catch (IOException ignored) {
            // process gone
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new Child(p, port, metricsPort, drain);
      }
    }
    throw new IOException("server did not start: " + seen);
  }

  static byte[] sha(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  @Test
  void serverKilledDuringUploadsLosesNoAcknowledgedSecretAndServesNoPartialOne() throws Exception {
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("server.log");
    Child first = startChild(log, "--storage", "file", "--data-dir", data.toString(), "--max-size", "64MB",
        "--rate-create", "off", "--rate-open", "off");
    Process server = first.process();
    String base = "http://127.0.0.1:" + first.port();
    Map<String, Object[]> acknowledged = new ConcurrentHashMap<>();
    Set<Integer> unanswered = ConcurrentHashMap.newKeySet(); // content lengths of uploads cut off by the kill
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      fs.add(pool.submit(() -> {
        while (!stop.get()) {
          byte[] content = new byte[10_000 + RANDOM.nextInt(6_000_000)];
          RANDOM.nextBytes(content);
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
              acknowledged.put(field(r.body(), "id"), new Object[] {field(r.body(), "key"), sha(content)});
            }
          } catch (IOException e) {
            unanswered.add(content.length); // the server died under us: stored whole or not at all
            return null;
          }
        }
        return null;
      }));
    }
    Await.until(() -> acknowledged.size() >= 5, Duration.ofSeconds(30), "five uploads acknowledged before the kill");
    server.destroyForcibly(); // SIGKILL in the middle of uploads
    server.waitFor(10, TimeUnit.SECONDS);
    stop.set(true);
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertTrue(acknowledged.size() > 0, "some uploads completed before the kill");

    Child second = startChild(log, "--storage", "file", "--data-dir", data.toString(), "--max-size", "64MB",
        "--rate-create", "off", "--rate-open", "off");
    Process restarted = second.process();
    String base2 = "http://127.0.0.1:" + second.port();
    try {
      try (Stream<Path> s = Files.list(data)) {
        assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
            "temp files of the killed process are cleaned up at restart");
      }
      for (Map.Entry<String, Object[]> e : acknowledged.entrySet()) {
        HttpResponse<byte[]> o = http.send(HttpRequest.newBuilder(URI.create(base2 + "/api/secrets/" + e.getKey()
            + "/open")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"key\":\"" + e.getValue()[0] + "\"}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, o.statusCode(), "every acknowledged secret opens after the crash");
        assertTrue(MessageDigest.isEqual((byte[]) e.getValue()[1], sha(o.body())), "and has its exact bytes");
      }
      // what is left was cut off by the kill: an upload that was committed just before it (the answer lost) is
      // whole, so its file has exactly the size of a complete envelope of one of the cut-off uploads; a partial
      // upload would be shorter (its size matches none)
      List<Long> whole = unanswered.stream().map(FaultInjectionIT::committedFileSize).toList();
      try (Stream<Path> s = Files.list(data)) {
        for (Path left : s.filter(p -> p.getFileName().toString().endsWith(".ots")).toList()) {
          assertTrue(whole.contains(Files.size(left)), "no partial upload was ever committed as a secret: "
              + Files.size(left) + " bytes, complete sizes of the cut-off uploads " + whole);
        }
      }
    } finally {
      restarted.destroy();
      restarted.waitFor(20, TimeUnit.SECONDS);
      second.awaitOutput();
    }
    assertNoSecretsIn(log, acknowledged.keySet().stream().map(id -> (String) acknowledged.get(id)[0]).toList());
  }

  /**
   * The size of the vault file of a complete raw upload of {@code n} bytes: the file vault's frame (51 bytes) and the
   * 57-byte random-key header, then the sealed plaintext (a 5-byte metadata prefix and the content) with a 16-byte
   * tag per 64 KiB segment (docs/format.md, docs/operations.md).
   */
  static long committedFileSize(int n) {
    long plain = 5L + n;
    return 51 + 57 + plain + 16 * ((plain + 65535) / 65536);
  }

  /** The formula above, checked against real uploads around the segment boundary. */
  @Test
  void committedFileSizeMatchesRealUploads() throws Exception {
    Path data = tmp.resolve("sizes");
    try (StandaloneServer server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--storage", "file", "--data-dir", data.toString(), "--rate-create", "off"}, Map.of()))) {
      for (int n : new int[] {1, 65_531, 65_532, 1_000_000}) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/api/secrets")).header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[n])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(committedFileSize(n), Files.size(data.resolve(field(r.body(), "id") + ".ots")), "n = " + n);
      }
    }
  }

  static void assertNoSecretsIn(Path log, List<String> secrets) throws IOException {
    String text = Files.readString(log);
    for (String s : secrets) {
      assertFalse(text.contains(s), "a secret, key or passphrase reached the log");
    }
  }

  @Test
  void redisKilledUnderSteadyLoadAnswersOnly200_201_404_503AndNeverDeliversTwice() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
         StandaloneServer server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
             "127.0.0.1", "--storage", "redis", "--redis-uri", redis.uri(), "--rate-create", "off", "--rate-open",
             "off"}, Map.of()))) {
      String base = "http://127.0.0.1:" + server.port();
      Set<Integer> statuses = ConcurrentHashMap.newKeySet();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger flows = new java.util.concurrent.atomic.AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> {
          while (!stop.get()) {
            String text = "steady " + RANDOM.nextLong();
            HttpResponse<String> c = timedSend(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")), statuses, problems);
            if (c == null || c.statusCode() != 201) {
              Thread.sleep(20);
              continue;
            }
            HttpRequest.Builder open = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + field(c.body(), "id")
                + "/open")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + field(c.body(), "key") + "\"}"));
            int delivered = 0;
            int last = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
              HttpResponse<String> o = timedSend(open, statuses, problems);
              if (o == null) {
                break;
              }
              last = o.statusCode();
              if (o.statusCode() == 200) {
                delivered++;
                if (!o.body().equals(text)) {
                  problems.add("wrong bytes");
                }
              } else if (o.statusCode() == 404) {
                break;
              } else {
                Thread.sleep(100); // 503: the store is down; an acknowledged secret must open once it is back
              }
              if (delivered > 0 && o.statusCode() == 200) {
                continue; // ask again: the next answer must be 404 (or 503 while down), never a second 200
              }
            }
            flows.incrementAndGet();
            if (delivered != 1) {
              problems.add("an acknowledged secret was delivered " + delivered + " times");
            } else if (last != 404) {
              // e.g. the claim's clean-up was lost in the outage and never retried: others would wait for the lease
              problems.add("a delivered secret still answered " + last + " long after Redis was back, not 404");
            }
          }
          return null;
        }));
      }
      Await.until(() -> flows.get() >= 100, Duration.ofSeconds(30), "100 create+open flows before the outage");
      redis.kill();
      Await.until(() -> statuses.contains(503), Duration.ofSeconds(30), "a 503 while Redis is down");
      int before = flows.get();
      redis.start();
      Await.until(() -> flows.get() >= before + 100, Duration.ofSeconds(60), "100 more flows after Redis is back");
      stop.set(true);
      for (Future<?> f : fs) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(problems.isEmpty(), problems.toString());
      assertTrue(statuses.contains(503), "the outage was seen as 503");
      for (int s : statuses) {
        assertTrue(Set.of(200, 201, 404, 503).contains(s), "unexpected status " + s);
      }
    }
  }

  private HttpResponse<String> timedSend(HttpRequest.Builder b, Set<Integer> statuses,
      ConcurrentLinkedQueue<String> problems) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      statuses.add(r.statusCode());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (ms > 5_000) {
        problems.add("a request took " + ms + " ms");
      }
      return r;
    } catch (Exception e) {
      problems.add("request failed: " + e);
      return null;
    }
  }

  @Test
  void downloadCutOffMidwayConsumesTheSecretAndTheServerCarriesOn() throws Exception {
    try (StandaloneServer server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--max-size", "16MB", "--rate-create", "off", "--rate-open", "off"}, Map.of()))) {
      String base = "http://127.0.0.1:" + server.port();
      byte[] content = new byte[8 * 1024 * 1024];
      RANDOM.nextBytes(content);
      HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(content))
          .build(), HttpResponse.BodyHandlers.ofString());
      String id = field(c.body(), "id");
      String body = "{\"key\":\"" + field(c.body(), "key") + "\"}";
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/secrets/" + id + "/open HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        assertEquals(65_536, in.readNBytes(65_536).length);
      } // cut off here
      HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, again.statusCode(), "consumed at the claim: documented in docs/security.md");
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }
  // slow clients: see HostileClientsIT (2,000 connections of every slow kind from another address)
}
