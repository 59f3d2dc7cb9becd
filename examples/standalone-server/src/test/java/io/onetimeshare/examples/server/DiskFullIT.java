package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file vault on a real 2 MiB tmpfs that fills up: a clear 507, nothing half-written, earlier secrets fine. */
class DiskFullIT {
  @TempDir
  Path tmp;

  static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void fullDiskAnswers507AndLeavesNothingHalfWritten() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("small-disk"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mnt.toString()),
        "needs root to mount a small tmpfs (CI runs as root)");
    try (StandaloneServer server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--storage", "file", "--data-dir", mnt.toString(), "--max-size", "4MB", "--rate-create", "off",
        "--rate-open", "off"}, Map.of()))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[700_000]));
      HttpResponse<String> first = http.send(create.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, first.statusCode());
      HttpResponse<String> r = first;
      for (int i = 0; i < 10 && r.statusCode() == 201; i++) {
        r = http.send(create.build(), HttpResponse.BodyHandlers.ofString());
      }
      assertEquals(507, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"error\":\"insufficient_storage\""), r.body());
      try (Stream<Path> s = Files.list(mnt)) {
        assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written file remains");
      }
      String id = FaultInjectionIT.field(first.body(), "id");
      HttpResponse<byte[]> o = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\""
              + FaultInjectionIT.field(first.body(), "key") + "\"}")).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, o.statusCode());
      assertEquals(700_000, o.body().length);
    } finally {
      run(List.of("umount", mnt.toString()).toArray(String[]::new));
    }
  }
}
