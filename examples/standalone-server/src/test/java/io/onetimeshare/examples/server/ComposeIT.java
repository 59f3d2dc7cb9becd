package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image and compose.yaml as an operator runs them: the server image (built by Jib on a Debian JRE base made here)
 * and Redis (Debian's redis-server, standing in for redis:7-alpine), {@code docker-compose up}, then through the
 * published port. bin/test builds the images when a Docker daemon can run; without one this test is skipped with a
 * message. Bounded: every wait has a deadline, and the project is torn down with its volumes whatever happens.
 */
class ComposeIT {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final String PROJECT = "otsit";
  static final String IMAGE = System.getProperty("ots.image.name", "onetimeshare/server:test");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Map<String, String> env = new HashMap<>();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs a command to completion (at most 3 min); returns its output; fails on a non-zero exit when asked. */
  String run(boolean check, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(ROOT.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
    if (check) {
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }
    return out.trim();
  }

  String compose(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", "compose.yaml"));
    cmd.addAll(List.of(args));
    return run(true, cmd.toArray(String[]::new));
  }

  static boolean available(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String container(String service) throws Exception {
    return compose("ps", "-q", service);
  }

  HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> create(String base, byte[] content, String type) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
  }

  HttpResponse<byte[]> open(String base, String[] secret) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + secret[0] + "/open"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + secret[1] + "\"}")));
  }

  static String[] idKey(HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(201, r.statusCode(), body);
    return new String[] {FaultInjectionIT.field(body, "id"), FaultInjectionIT.field(body, "key")};
  }

  void awaitStatus(String url, int status, Duration deadline) throws Exception {
    Await.until(() -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == status;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }, deadline, url + " answering " + status);
  }

  @Test
  void composeUpServeRestartSurviveRedisOutageScrapeStopAndDown() throws Exception {
    assumeTrue(available("docker", "info"), "no Docker daemon: bin/test starts one when it runs as root");
    assumeTrue(available("docker", "image", "inspect", IMAGE), "the image " + IMAGE + " is built by bin/test "
        + "(mvn -Pimage with a Debian base made by examples/standalone-server/docker/build-test-bases.sh)");
    assumeTrue(available("docker-compose", "version"), "docker-compose is not installed");
    int httpPort = freePort();
    env.put("OTS_IMAGE", IMAGE);
    env.put("OTS_REDIS_IMAGE", "ots-test-redis:bookworm-2");
    env.put("OTS_HTTP_PORT", Integer.toString(httpPort));
    env.put("OTS_SHUTDOWN_GRACE", "3s");
    // the Redis password as an operator makes it: a file of random characters, readable by its owner only
    Path secret = java.nio.file.Files.createTempFile("ots-redis-password", ".txt");
    byte[] random = new byte[24];
    new java.security.SecureRandom().nextBytes(random);
    String password = java.util.HexFormat.of().formatHex(random);
    java.nio.file.Files.writeString(secret, password + "\n");
    // as docs/operations.md says: group 65532 (the server's; Redis runs in it too), mode 0440
    java.nio.file.Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString(
        "r--r-----"));
    if (!run(false, "chgrp", "65532", secret.toString()).isEmpty()) {
      secret.toFile().setReadable(true, false); // not root: the containers read it as "other"
    }
    env.put("OTS_REDIS_PASSWORD_FILE", secret.toString());
    String base = "http://127.0.0.1:" + httpPort;
    try {
      compose("up", "-d");
      awaitStatus(base + "/ready", 200, Duration.ofSeconds(90));

      // issue 19, finding 13: the store is closed to everyone but the server
      String redisId = container("redis");
      String noAuth = run(false, "docker", "exec", redisId, "redis-cli", "set", "k", "v");
      assertTrue(noAuth.contains("NOAUTH"), "Redis must require its password: " + noAuth);
      assertEquals("redis", run(true, "docker", "exec", redisId, "id", "-un"));
      assertEquals("true", run(true, "docker", "inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", redisId));
      for (String service : List.of("redis", "ots")) {
        String c = container(service);
        assertEquals("[ALL]", run(true, "docker", "inspect", "-f", "{{.HostConfig.CapDrop}}", c), service);
        assertTrue(run(true, "docker", "inspect", "-f", "{{.HostConfig.SecurityOpt}}", c)
            .contains("no-new-privileges"), service);
        assertTrue(!run(true, "docker", "inspect", "-f", "{{.Config.Env}}", c).contains(password)
            && !run(true, "docker", "inspect", "-f", "{{.Config.Cmd}}", c).contains(password),
            "the password is in no environment and no command line: " + service);
      }
      // a container on the public network (where a reverse proxy would sit) cannot reach Redis at all
      String probe = run(false, "docker", "run", "--rm", "--network", PROJECT + "_public",
          System.getenv().getOrDefault("OTS_REDIS_IMAGE_FOR_PROBE", "ots-test-redis:bookworm-2"), "sh", "-c",
          "timeout 5 redis-cli -h redis -p 6379 -a " + password + " --no-auth-warning ping; "
              + "timeout 5 redis-cli -h " + run(true, "docker", "inspect", "-f",
                  "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", redisId).trim().split(" ")[0]
              + " -p 6379 -a " + password + " --no-auth-warning ping; echo probe-done");
      assertTrue(probe.contains("probe-done") && !probe.contains("PONG"), "Redis reached from the public network: "
          + probe);

      // text and a 20 MiB file through the published port
      String[] text = idKey(create(base, "{\"text\":\"in a container\"}".getBytes(StandardCharsets.UTF_8),
          "application/json"));
      byte[] file = new byte[20 * 1024 * 1024];
      ThreadLocalRandom.current().nextBytes(file);
      String[] big = idKey(create(base, file, "application/octet-stream"));
      assertEquals("in a container", new String(open(base, text).body(), StandardCharsets.UTF_8));
      assertArrayEquals(file, open(base, big).body());

      // the command-line client ships in the image: share and open inside the container
      String ots = container("ots");
      String shared = run(true, "docker", "exec", ots, "sh", "-c",
          "echo 'from the cli in the image' | ots share --server http://127.0.0.1:8080/");
      String cliLink = shared.lines().filter(l -> l.contains("/s/")).findFirst().orElseThrow();
      assertTrue(cliLink.startsWith("http://127.0.0.1:8080/s/"), shared);
      assertTrue(run(true, "docker", "exec", ots, "ots", "open", cliLink).endsWith("from the cli in the image"));
      // the API token command ships too, on the container's own store (Redis, with the password from its secret file)
      String token = run(true, "docker", "exec", ots, "ots-tokens", "create", "compose-ci", "--expires", "1d").strip();
      assertTrue(token.lines().anyMatch(l -> l.matches("ots_[A-Za-z0-9_-]{43}")), token);
      assertTrue(run(true, "docker", "exec", ots, "ots-tokens", "list").contains("compose-ci"));
      run(true, "docker", "exec", ots, "ots-tokens", "revoke", "compose-ci");

      // non-root, read-only root filesystem
      assertEquals("65532:65532", run(true, "docker", "inspect", "-f", "{{.Config.User}}", ots));
      assertEquals("true", run(true, "docker", "inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", ots));
      String top = run(true, "docker", "top", ots, "-o", "pid,uid,comm");
      assertTrue(top.lines().skip(1).allMatch(l -> l.trim().split("\\s+")[1].equals("65532")),
          "every process of the container runs as 65532:\n" + top);

      // restart the server: an unopened secret survives (Redis), an opened one stays gone
      String[] kept = idKey(create(base, "{\"text\":\"kept\"}".getBytes(StandardCharsets.UTF_8), "application/json"));
      compose("restart", "ots");
      awaitStatus(base + "/ready", 200, Duration.ofSeconds(60));
      assertEquals(404, open(base, text).statusCode(), "opened before the restart: still gone");

      // kill Redis: 503 while it is down; back without restarting the server; nothing acknowledged lost (AOF)
      String[] during = idKey(create(base, "{\"text\":\"acknowledged before the kill\"}"
          .getBytes(StandardCharsets.UTF_8), "application/json"));
      run(true, "docker", "kill", container("redis"));
      Await.until(() -> {
        try {
          return open(base, kept).statusCode() == 503;
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(30), "503 while Redis is down");
      compose("start", "redis");
      awaitStatus(base + "/ready", 200, Duration.ofSeconds(60));
      assertEquals("kept", new String(open(base, kept).body(), StandardCharsets.UTF_8));
      assertEquals("acknowledged before the kill", new String(open(base, during).body(), StandardCharsets.UTF_8));

      // metrics moved by exactly what this test did since the server's restart: one text stored, two opened
      // (issue 36, finding 12) scraped from a container on the metrics network, as a Prometheus would be; a container
      // on the public network cannot connect
      String scrape = scrapeFrom("metrics");
      assertTrue(scrapeFrom("public").contains("no-connection"), "metrics reached from the public network");
      assertEquals(1, OperationsIT.metric(scrape, "ots_secrets_total{event=\"stored\",kind=\"text\"}"), scrape);
      assertEquals(2, OperationsIT.metric(scrape, "ots_secrets_total{event=\"opened\",kind=\"text\"}"), scrape);

      // docker stop during a download: the server finishes what it can within the grace period and exits 0
      String[] last = idKey(create(base, file, "application/octet-stream"));
      try (Socket s = new Socket("127.0.0.1", httpPort)) {
        s.setReceiveBufferSize(16 * 1024);
        String body = "{\"key\":\"" + last[1] + "\"}";
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/secrets/" + last[0] + "/open HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
            + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        in.readNBytes(64 * 1024);
        run(true, "docker", "stop", "-t", "30", container("ots"));
      }
      assertEquals("0", run(true, "docker", "inspect", "-f", "{{.State.ExitCode}}", container("ots")),
          "docker stop: exit status 0");
    } finally {
      run(false, "docker-compose", "-p", PROJECT, "-f", "compose.yaml", "down", "-v", "--remove-orphans");
      java.nio.file.Files.deleteIfExists(secret);
    }
    assertEquals("", run(true, "docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + PROJECT),
        "no container left");
    assertEquals("", run(true, "docker", "volume", "ls", "-q", "--filter",
        "label=com.docker.compose.project=" + PROJECT), "no volume left");
  }

  /** GET /metrics from a throwaway container on network {@code network} of the project (bash's /dev/tcp). */
  private String scrapeFrom(String network) throws Exception {
    return run(false, "docker", "run", "--rm", "--network", PROJECT + "_" + network, "ots-test-redis:bookworm-2",
        "bash", "-c", "exec 3<>/dev/tcp/ots-metrics/9464 2>/dev/null || { echo no-connection; exit 0; }; "
            + "printf 'GET /metrics HTTP/1.0\\r\\nHost: ots-metrics\\r\\n\\r\\n' >&3; timeout 10 cat <&3");
  }

  /** The original's bug: a fresh named volume was not writable by the non-root user until someone chowned it. */
  @Test
  void aFreshNamedVolumeIsWritableByTheServersUser() throws Exception {
    assumeTrue(available("docker", "info"), "no Docker daemon: bin/test starts one when it runs as root");
    assumeTrue(available("docker", "image", "inspect", IMAGE), "the image " + IMAGE + " is built by bin/test");
    int port = freePort();
    String volume = "otsit-fresh-" + port;
    String name = "otsit-file-" + port;
    try {
      run(true, "docker", "run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-v", volume + ":/data",
          "-p", "127.0.0.1:" + port + ":8080", IMAGE, "--storage", "file");
      String base = "http://127.0.0.1:" + port;
      awaitStatus(base + "/ready", 200, Duration.ofSeconds(60));
      // issue 36, finding 12: the volume's root is the server user's alone, not world-writable
      assertEquals("65532:65532 700", run(true, "docker", "run", "--rm", "--entrypoint", "stat", "-v",
          volume + ":/data", IMAGE, "-c", "%u:%g %a", "/data"));
      String[] s = idKey(create(base, "{\"text\":\"on a fresh volume\"}".getBytes(StandardCharsets.UTF_8),
          "application/json"));
      assertEquals("on a fresh volume", new String(open(base, s).body(), StandardCharsets.UTF_8));
    } finally {
      run(false, "docker", "rm", "-f", name);
      run(false, "docker", "volume", "rm", "-f", volume);
    }
  }
}
