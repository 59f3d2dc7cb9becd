package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.testing.XorShiftStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 GiB streamed upload and download through the real server process running with -Xmx256m. */
class LargeUploadIT {
  static final long SIZE = Long.getLong("ots.largeUploadBytes", 1L << 30);

  @TempDir
  Path data;

  @Test
  void oneGibibyteUpAndDownWithA256MebibyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        StandaloneServer.class.getName(), "--port", "0", "--bind", "127.0.0.1", "--storage", "file", "--data-dir",
        data.toString(), "--max-size", "2GiB", "--rate-create", "off", "--rate-open", "off"))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int port = -1;
      Pattern p = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
      while ((line = out.readLine()) != null) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
          break;
        }
      }
      assertTrue(port > 0, "server did not start");
      String base = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      XorShiftStream src = new XorShiftStream(SIZE);
      HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets?filename=big.bin"))
          .header("Content-Type", "application/octet-stream").timeout(Duration.ofMinutes(5))
          .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> src), SIZE))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, c.statusCode(), c.body());
      byte[] sent = src.digest();
      Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(c.body());
      Matcher key = Pattern.compile("\"key\":\"([^\"]+)\"").matcher(c.body());
      assertTrue(id.find() && key.find());
      HttpResponse<InputStream> o = http.send(HttpRequest.newBuilder(
          URI.create(base + "/api/secrets/" + id.group(1) + "/open")).header("Content-Type", "application/json")
          .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key.group(1) + "\"}"))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, o.statusCode());
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      long n = 0;
      try (InputStream in = o.body()) {
        byte[] buf = new byte[64 * 1024];
        int k;
        while ((k = in.read(buf)) >= 0) {
          got.update(buf, 0, k);
          n += k;
        }
      }
      assertEquals(SIZE, n);
      assertTrue(MessageDigest.isEqual(sent, got.digest()), "downloaded bytes differ");
      assertTrue(server.isAlive(), "the server survived with its 256 MiB heap");
    } finally {
      server.destroy();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "graceful stop on SIGTERM");
    }
  }
}
