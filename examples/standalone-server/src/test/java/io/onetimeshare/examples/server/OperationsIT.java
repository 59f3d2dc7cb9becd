package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operating the standalone server: metrics, the request log, graceful shutdown on SIGTERM. Child JVMs, loopback. */
class OperationsIT {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  @TempDir
  Path tmp;

  private HttpResponse<String> post(String base, String path, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static double metric(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void metricsCountWhatHappenedAndTheRequestLogNamesNoSecret() throws Exception {
    Path log = tmp.resolve("server.log");
    FaultInjectionIT.Child child = FaultInjectionIT.startChild(log, "--metrics-port", "0", "--rate-open", "3/1h");
    String base = "http://127.0.0.1:" + child.port();
    try {
      assertTrue(child.metricsPort() > 0, "the management port is announced");
      HttpResponse<String> publicMetrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, publicMetrics.statusCode(), "metrics are not on the public port");

      HttpResponse<String> a = post(base, "/api/secrets", "application/json", "{\"text\":\"first\"}");
      HttpResponse<String> b = post(base, "/api/secrets", "application/json", "{\"text\":\"second\"}");
      String idA = FaultInjectionIT.field(a.body(), "id");
      String idB = FaultInjectionIT.field(b.body(), "id");
      assertEquals(403, post(base, "/api/secrets/" + idA + "/open", "application/json",
          "{\"key\":\"" + "A".repeat(43) + "\"}").statusCode());
      assertEquals(200, post(base, "/api/secrets/" + idA + "/open", "application/json",
          "{\"key\":\"" + FaultInjectionIT.field(a.body(), "key") + "\"}").statusCode());
      assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + idB)).DELETE()
          .header("OTS-Delete-Token", FaultInjectionIT.field(b.body(), "deleteToken")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(429, post(base, "/api/secrets/" + idB + "/open", "application/json", "{\"key\":\"x\"}")
          .statusCode(), "the fourth request touching a secret is over 3/1h");

      // a response's metrics are recorded as its exchange completes, which can be just after the client has it
      String scrape = "";
      for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; Thread.sleep(50)) {
        scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.metricsPort()
            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (metric(scrape, "ots_rate_limited_total{route=\"/api/secrets/{id}/open\"}") >= 1) {
          break;
        }
      }
      assertEquals(2, metric(scrape, "ots_secrets_total{event=\"stored\",kind=\"text\"}"), scrape);
      assertEquals(1, metric(scrape, "ots_secrets_total{event=\"opened\",kind=\"text\"}"));
      assertEquals(1, metric(scrape, "ots_wrong_credentials_total{credential=\"key\"}"));
      assertEquals(1, metric(scrape, "ots_secrets_total{event=\"deleted\",kind=\"any\"}"));
      assertEquals(1, metric(scrape, "ots_rate_limited_total{route=\"/api/secrets/{id}/open\"}"));
      assertEquals(2, metric(scrape, "ots_http_requests_seconds_count{method=\"POST\",route=\"/api/secrets\","
          + "status=\"201\"}"));
      assertEquals(1, metric(scrape, "ots_http_requests_seconds_count{method=\"POST\","
          + "route=\"/api/secrets/{id}/open\",status=\"403\"}"));
      assertTrue(metric(scrape, "ots_vault_calls_seconds_count{operation=\"put\",outcome=\"ok\"}") == 2, scrape);
      assertTrue(scrape.contains("jvm_memory_used_bytes") && scrape.contains("jetty_threads_busy"), "JVM and Jetty");
      assertFalse(scrape.contains(idA) || scrape.contains(idB), "no id ever becomes a label value");
    } finally {
      child.terminate();
      child.process().waitFor(20, TimeUnit.SECONDS);
      child.awaitOutput();
    }
    String out = Files.readString(log);
    assertTrue(out.contains("POST /api/secrets/{id}/open 200"), out);
    assertTrue(out.contains("DELETE /api/secrets/{id} 204"), out);
    for (String line : out.split("\n")) {
      assertFalse(line.matches(".*/[A-Za-z0-9_-]{22}( |/|$).*"), "an id reached the log: " + line);
    }
  }

  /**
   * SIGTERM (docker stop) while a download is being read slowly: the server stops accepting, waits out the grace
   * period, exits 0. The one-time rule: the secret was handed out when its download started, so it counts as
   * delivered and stays gone after a restart (never a second delivery). An upload that finishes within the grace
   * period is kept.
   */
  @Test
  void sigtermExitsZeroAfterTheGracePeriodAndACutDownloadCountsAsDelivered() throws Exception {
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("server.log");
    FaultInjectionIT.Child child = FaultInjectionIT.startChild(log, "--storage", "file", "--data-dir",
        data.toString(), "--max-size", "64MB", "--shutdown-grace", "3s", "--rate-create", "off", "--rate-open", "off");
    String base = "http://127.0.0.1:" + child.port();
    byte[] big = new byte[40 * 1024 * 1024];
    HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, c.statusCode());
    String id = FaultInjectionIT.field(c.body(), "id");
    String key = FaultInjectionIT.field(c.body(), "key");
    long exited;
    try (Socket s = new Socket("127.0.0.1", child.port())) {
      s.setReceiveBufferSize(16 * 1024);
      String body = "{\"key\":\"" + key + "\"}";
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/secrets/" + id + "/open HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] first = in.readNBytes(64 * 1024);
      assertTrue(new String(first, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      long t0 = System.nanoTime();
      child.terminate(); // SIGTERM with the download half read
      assertTrue(child.process().waitFor(20, TimeUnit.SECONDS), "the server stopped");
      exited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(0, child.process().exitValue(), "exit status 0 on SIGTERM");
    }
    child.awaitOutput();
    assertTrue(exited >= 2_000 && exited < 15_000, "waited for the grace period, then stopped: " + exited + " ms");
    assertTrue(Files.readString(log).contains("OneTimeShare stopped"), "a clean stop:\n" + Files.readString(log));

    FaultInjectionIT.Child again = FaultInjectionIT.startChild(log, "--storage", "file", "--data-dir",
        data.toString(), "--rate-create", "off", "--rate-open", "off");
    try {
      HttpResponse<String> o = post("http://127.0.0.1:" + again.port(), "/api/secrets/" + id + "/open",
          "application/json", "{\"key\":\"" + key + "\"}");
      assertEquals(404, o.statusCode(), "a download cut by the shutdown counts as delivered: never a second time");
    } finally {
      again.terminate();
      assertTrue(again.process().waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, again.process().exitValue());
    }
  }
}
