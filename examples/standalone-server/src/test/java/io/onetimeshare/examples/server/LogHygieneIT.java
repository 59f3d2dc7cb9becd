package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the server in a child process with everything it prints captured, drives every path that handles secret
 * material (successes and failures), and greps the capture for each secret, key, passphrase and token used.
 */
class LogHygieneIT {
  @TempDir
  Path tmp;

  @Test
  void noSecretKeyPassphraseOrTokenEverReachesTheLog() throws Exception {
    Path log = tmp.resolve("server.log");
    FaultInjectionIT.Child child = FaultInjectionIT.startChild(log, "--max-size", "1KB", "--rate-create", "50/1h",
        "--rate-open", "off");
    Process server = child.process();
    String base = "http://127.0.0.1:" + child.port();
    HttpClient http = HttpClient.newHttpClient();
    List<String> used = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        String text = "plaintext-canary-" + i + "-Zq7";
        String pass = "passphrase-canary-" + i + "-Xw9";
        used.add(text);
        used.add(pass);
        HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"text\":\"" + text + "\"" + (i == 0 ? "" : ",\"passphrase\":\"" + pass + "\"") + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, c.statusCode());
        String id = FaultInjectionIT.field(c.body(), "id");
        String key = FaultInjectionIT.field(c.body(), "key");
        String token = FaultInjectionIT.field(c.body(), "deleteToken");
        used.add(token);
        if (key != null) {
          used.add(key);
        }
        String wrong = i == 0 ? "{\"key\":\"" + "B".repeat(43) + "\"}" : "{\"passphrase\":\"wrong-" + pass + "\"}";
        used.add(i == 0 ? "B".repeat(43) : "wrong-" + pass);
        HttpRequest.Builder open = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
            .header("Content-Type", "application/json");
        assertEquals(403, http.send(open.copy().POST(HttpRequest.BodyPublishers.ofString(wrong)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id)).DELETE()
            .header("OTS-Delete-Token", "C".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
        String right = key != null ? "{\"key\":\"" + key + "\"}" : "{\"passphrase\":\"" + pass + "\"}";
        assertEquals(200, http.send(open.copy().POST(HttpRequest.BodyPublishers.ofString(right)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      // failures that carry secret material in the request
      String big = "oversized-canary-" + "x".repeat(2000);
      used.add("oversized-canary-");
      http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + big + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      used.add("badjson-canary");
      http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"badjson-canary\"")).build(),
          HttpResponse.BodyHandlers.ofString());
      used.add("header-canary-pass");
      http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets?ttl=5")).header("Content-Type",
          "application/octet-stream").header("OTS-Passphrase", "header-canary-pass")
          .POST(HttpRequest.BodyPublishers.ofString("raw")).build(), HttpResponse.BodyHandlers.ofString());
      // every other endpoint (issue 19, finding 11): uploads, receipts, proofs, the pages, odd spellings of ids
      for (boolean damaged : new boolean[] {false, true}) {
        HttpResponse<String> b = http.send(HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"segmentSize\":65536,\"ttl\":600}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, b.statusCode(), b.body());
        String id = FaultInjectionIT.field(b.body(), "id");
        String token = FaultInjectionIT.field(b.body(), "deleteToken");
        used.add(id);
        used.add(token);
        io.onetimeshare.ClientEnvelope.Sealing sealing = io.onetimeshare.ClientEnvelope.seal(id, 65536, null,
            io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), io.onetimeshare.SecretKind.TEXT, null, null);
        used.add(sealing.key());
        java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream o = sealing.open(segs)) {
          o.write("upload-canary-Pq3".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        used.add("upload-canary-Pq3");
        byte[] sealed = segs.toByteArray();
        if (damaged) {
          sealed[sealed.length - 1] ^= 1; // the last segment's tag: the server notices only while streaming
        }
        HttpRequest.Builder withToken = HttpRequest.newBuilder().header("OTS-Delete-Token", token);
        assertEquals(200, http.send(withToken.copy().uri(URI.create(base + "/api/uploads/" + id + "/segments/0"))
            .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(sealed))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        http.send(withToken.copy().uri(URI.create(base + "/api/uploads/" + id)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        http.send(withToken.copy().uri(URI.create(base + "/api/uploads/" + id + "/finish"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"header\":\"AA\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sealing.header());
        assertEquals(201, http.send(withToken.copy().uri(URI.create(base + "/api/uploads/" + id + "/finish"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"header\":\"" + header + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        http.send(withToken.copy().uri(URI.create(base + "/api/secrets/" + id + "/receipt")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        for (String path : List.of("/api/secrets/" + id, "/s/" + id, "/r/" + id + ";x", "/s/" + id + "/",
            "/api/secrets/%" + Integer.toHexString(id.charAt(0)) + id.substring(1),
            "/api/secrets/" + id + ";jsessionid=1/open")) {
          http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
        }
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/%" + Integer.toHexString(id.charAt(0))
            + id.substring(1) + "/open")).header("Content-Type", "application/json").POST(
            HttpRequest.BodyPublishers.ofString("{\"proof\":\"" + "A".repeat(43) + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        try { // the damaged one fails after its headers: the server cuts the connection
          http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                  "{\"key\":\"" + sealing.key() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException cut) {
          assertTrue(damaged, "only the damaged secret is cut: " + cut);
        }
      }
    } finally {
      child.terminate();
      assertTrue(server.waitFor(20, TimeUnit.SECONDS));
    }
    child.awaitOutput(); // everything the process printed is in the log
    String text = Files.readString(log);
    assertTrue(text.contains("listening on"), "the capture is the server's output");
    for (String s : used) {
      assertFalse(text.contains(s), "found secret material or an id in the server's output:\n" + text);
    }
    assertTrue(text.contains("/api/uploads/{id}/segments/0"), "uploads are in the request log, redacted");
  }
}
