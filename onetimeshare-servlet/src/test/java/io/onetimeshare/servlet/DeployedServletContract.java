package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.memory.InMemoryRateLimiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet deployed in a real container under the prefix {@code /share/*}; one subclass per container. */
abstract class DeployedServletContract {
  protected final OneTimeShare ots = OneTimeShare.builder().maxContentBytes(64 * 1024)
      .argon2(io.onetimeshare.crypto.Argon2idParameters.owaspMinimum()).minUploadSegmentSize(1024).build();
  protected String base;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Deploys the servlet at context "/" with mapping "/share/*" on a free loopback port; returns the port. */
  protected abstract int deploy(OneTimeShareServlet servlet) throws Exception;

  protected abstract void undeploy() throws Exception;

  @BeforeEach
  void up() throws Exception {
    ServletSettings settings = ServletSettings.builder()
        .openLimiter(InMemoryRateLimiter.builder(RateLimit.parse("1000/1h")).build())
        .createBytesLimiter(InMemoryRateLimiter.builder(new RateLimit(256 * 1024, java.time.Duration.ofHours(1)))
            .build()).build();
    base = "http://127.0.0.1:" + deploy(new OneTimeShareServlet(ots, settings)) + "/share";
  }

  @AfterEach
  void down() throws Exception {
    undeploy();
    ots.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void apiWorksUnderAPrefix() throws Exception {
    HttpResponse<String> c = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "multipart/form-data; boundary=zz").POST(HttpRequest.BodyPublishers.ofString(
            "--zz\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n300\r\n"
                + "--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nfrom a container\r\n--zz--\r\n")));
    assertEquals(201, c.statusCode(), c.body());
    String id = field(c.body(), "id");
    String key = field(c.body(), "key");
    assertEquals(base + "/s/" + id + "#" + key, field(c.body(), "link"));
    assertEquals(base + "/api/secrets/" + id, c.headers().firstValue("Location").orElseThrow());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))).statusCode());
    HttpRequest.Builder open = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
            "key=" + key));
    HttpResponse<String> o = send(open);
    assertEquals(200, o.statusCode());
    assertEquals("from a container", o.body());
    assertTrue(o.headers().firstValue("RateLimit-Limit").isPresent());
    assertEquals(404, send(open).statusCode());
    assertEquals(405, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))).statusCode());
  }

  @Test
  void pagesAndRedirectUnderAPrefix() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base)));
    assertEquals(302, r.statusCode());
    assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/share/"));
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("assets/create.js"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/assets/app.css"))).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health"))).statusCode());
  }

  // ---- hostile input (issue 9): each body is capped whatever its framing, credentials never in URLs ----

  private HttpRequest.Builder post(String path, String type, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type).POST(body);
  }

  /** A body without Content-Length: HttpClient sends it chunked. */
  private static HttpRequest.BodyPublisher chunked(byte[] b) {
    return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(b));
  }

  private static byte[] jsonOfSize(String field, int size) {
    return ("{\"" + field + "\":\"" + "a".repeat(size) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private String[] create(String json) throws Exception {
    HttpResponse<String> c = send(post("/api/secrets", "application/json", HttpRequest.BodyPublishers.ofString(json)));
    assertEquals(201, c.statusCode(), c.body());
    return new String[] {field(c.body(), "id"), field(c.body(), "key")};
  }

  /** 413 with the error JSON, or the connection cut after it (the rest of the body is never read). */
  private void assertRefusedAsTooLarge(HttpRequest.Builder b) throws Exception {
    try {
      HttpResponse<String> r = send(b);
      assertEquals(413, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"error\":\"too_large\""), r.body());
    } catch (java.io.IOException cut) {
      // the server answered 413 and closed while the client was still sending: also a refusal
    }
  }

  @Test
  void chunkedBodiesAreCappedLikeDeclaredOnes() throws Exception {
    String id = create("{\"text\":\"x\"}")[0];
    assertRefusedAsTooLarge(post("/api/secrets/" + id + "/open", "application/json",
        chunked(jsonOfSize("key", 100_000))));
    assertRefusedAsTooLarge(post("/api/secrets/" + id + "/open", "application/x-www-form-urlencoded",
        chunked(("key=" + "a".repeat(100_000)).getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    assertRefusedAsTooLarge(post("/api/secrets", "application/json", chunked(jsonOfSize("text", 200_000))));
    assertRefusedAsTooLarge(post("/api/secrets", "application/octet-stream", chunked(new byte[70_000])));
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))).statusCode(),
        "nothing was consumed");
  }

  @Test
  void jsonHasNestingAndTrailingDataLimits() throws Exception {
    String id = create("{\"text\":\"x\"}")[0];
    HttpResponse<String> deep = send(post("/api/secrets/" + id + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"key\":" + "[".repeat(50) + "]".repeat(50) + "}")));
    assertEquals(400, deep.statusCode(), deep.body());
    HttpResponse<String> trailing = send(post("/api/secrets", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"} {\"text\":\"y\"}")));
    assertEquals(400, trailing.statusCode(), trailing.body());
    assertTrue(trailing.body().contains("after the JSON object"), trailing.body());
  }

  @Test
  void aKeyInTheUrlIsRefused() throws Exception {
    String[] s = create("{\"text\":\"x\"}");
    HttpResponse<String> r = send(post("/api/secrets/" + s[0] + "/open?key=" + s[1],
        "application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofString("")));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("never in the URL"), r.body());
    HttpResponse<String> ok = send(post("/api/secrets/" + s[0] + "/open", "application/x-www-form-urlencoded",
        HttpRequest.BodyPublishers.ofString("key=" + s[1])));
    assertEquals(200, ok.statusCode(), "the refused request consumed nothing");
  }

  @Test
  void wrongKeysNeverBurnARandomKeySecret() throws Exception {
    String[] s = create("{\"text\":\"keep me\"}");
    String wrong = "A".repeat(43);
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = send(post("/api/secrets/" + s[0] + "/open", "application/json",
          HttpRequest.BodyPublishers.ofString("{\"key\":\"" + wrong + "\"}")));
      assertEquals(403, r.statusCode(), r.body());
    }
    HttpResponse<String> ok = send(post("/api/secrets/" + s[0] + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"key\":\"" + s[1] + "\"}")));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("keep me", ok.body());
  }

  @Test
  void readsAndDeletesAreRateLimitedLikeOpens() throws Exception {
    String id = create("{\"text\":\"x\"}")[0];
    HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id)));
    HttpResponse<String> del = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id)).DELETE()
        .header("OTS-Delete-Token", "x"));
    long afterGet = Long.parseLong(get.headers().firstValue("RateLimit-Remaining").orElseThrow());
    long afterDelete = Long.parseLong(del.headers().firstValue("RateLimit-Remaining").orElseThrow());
    assertEquals(afterGet - 1, afterDelete, "one budget for reads, deletes and opens");
  }

  @Test
  void uploadsSpendAPerClientByteBudget() throws Exception {
    byte[] big = new byte[60_000];
    int accepted = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 6; i++) {
      last = send(post("/api/secrets", "application/octet-stream", i % 2 == 0
          ? HttpRequest.BodyPublishers.ofByteArray(big) : chunked(big)));
      if (last.statusCode() != 201) {
        break;
      }
      accepted++;
    }
    assertEquals(4, accepted, "256 KiB per hour: four uploads of 60,000 bytes fit, the fifth does not");
    assertEquals(429, last.statusCode(), last.body());
    assertTrue(last.headers().firstValue("Retry-After").isPresent());
    assertTrue(last.body().contains("uploaded too much"), last.body());
  }

  /** The passphrase header is UTF-8 (percent-encoded after UTF-8''): the same passphrase opens in every form. */
  @Test
  void nonAsciiPassphrasesRoundTripAcrossEveryRequestForm() throws Exception {
    String pass = "clé € 🙂";
    String pct = java.net.URLEncoder.encode(pass, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    HttpResponse<String> raw = send(post("/api/secrets?filename=a.txt", "application/octet-stream",
        HttpRequest.BodyPublishers.ofString("from the header")).header("OTS-Passphrase", "UTF-8''" + pct));
    assertEquals(201, raw.statusCode(), raw.body());
    HttpResponse<String> o1 = send(post("/api/secrets/" + field(raw.body(), "id") + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"passphrase\":\"" + pass + "\"}")));
    assertEquals(200, o1.statusCode(), o1.body());
    assertEquals("from the header", o1.body());

    HttpResponse<String> json = send(post("/api/secrets", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"text\":\"from json\",\"passphrase\":\"" + pass + "\"}")));
    HttpResponse<String> o2 = send(post("/api/secrets/" + field(json.body(), "id") + "/open",
        "application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofString("passphrase=" + pct)));
    assertEquals(200, o2.statusCode(), o2.body());
    assertEquals("from json", o2.body());

    HttpResponse<String> mp = send(post("/api/secrets", "multipart/form-data; boundary=zz",
        HttpRequest.BodyPublishers.ofString("--zz\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n"
            + pass + "\r\n--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nfrom multipart\r\n--zz--\r\n",
            java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(201, mp.statusCode(), mp.body());
    HttpResponse<String> o3 = send(post("/api/secrets/" + field(mp.body(), "id") + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"passphrase\":\"" + pass + "\"}")));
    assertEquals(200, o3.statusCode(), o3.body());
    assertEquals("from multipart", o3.body());
  }

  @Test
  void uploadedFilenamesAreReducedToASafeBareName() throws Exception {
    HttpResponse<String> c = send(post("/api/secrets?filename=..%2F..%2Finvoice%E2%80%AEfdp.exe",
        "application/octet-stream", HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(201, c.statusCode(), c.body());
    HttpResponse<String> o = send(post("/api/secrets/" + field(c.body(), "id") + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"key\":\"" + field(c.body(), "key") + "\"}")));
    assertEquals("attachment; filename*=UTF-8''invoicefdp.exe",
        o.headers().firstValue("Content-Disposition").orElseThrow());
  }

  // ---- client-sealed uploads, open by proof, receipts (issue 13) ----

  private HttpResponse<String> withToken(String method, String path, String token, String type,
      HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body);
    if (token != null) {
      b.header("OTS-Delete-Token", token);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    return send(b);
  }

  private static long number(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9]+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
  }

  @Test
  void clientSealedUploadResumesFinishesAndOpensByProofOnce() throws Exception {
    HttpResponse<String> b = send(post("/api/uploads", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"segmentSize\":1024,\"ttl\":600}")));
    assertEquals(201, b.statusCode(), b.body());
    String id = field(b.body(), "id");
    String token = field(b.body(), "deleteToken");
    assertTrue(number(b.body(), "maxRequestBytes") >= 1040);
    byte[] content = new byte[5000];
    new java.util.Random(3).nextBytes(content);
    io.onetimeshare.ClientEnvelope.Sealing sealing = io.onetimeshare.ClientEnvelope.seal(id, 1024, null,
        io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), io.onetimeshare.SecretKind.FILE, "r.bin", null);
    java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = sealing.open(segs)) {
      o.write(content);
    }
    byte[] all = segs.toByteArray(); // 4 segments of 1040 bytes and a shorter last one
    // the first request stores two segments; its "answer is lost", so the client asks where to resume
    HttpResponse<String> a0 = withToken("PUT", "/api/uploads/" + id + "/segments/0", token,
        "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(all, 0, 2080));
    assertEquals(200, a0.statusCode(), a0.body());
    HttpResponse<String> p = withToken("GET", "/api/uploads/" + id, token, null, HttpRequest.BodyPublishers.noBody());
    assertEquals(2, number(p.body(), "segments"), p.body());
    assertEquals(403, withToken("GET", "/api/uploads/" + id, "A".repeat(43), null,
        HttpRequest.BodyPublishers.noBody()).statusCode());
    HttpResponse<String> gap = withToken("PUT", "/api/uploads/" + id + "/segments/3", token,
        "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(all, 3120, 1040));
    assertEquals(409, gap.statusCode(), gap.body());
    assertEquals(2, number(gap.body(), "expectedSegment"));
    // resend from segment 1 (already stored: ignored) to the end, chunked
    HttpResponse<String> a1 = withToken("PUT", "/api/uploads/" + id + "/segments/1", token,
        "application/octet-stream", chunked(java.util.Arrays.copyOfRange(all, 1040, all.length)));
    assertEquals(200, a1.statusCode(), a1.body());
    assertEquals(404, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))).statusCode(),
        "invisible until finished");
    String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sealing.header());
    HttpResponse<String> f = withToken("POST", "/api/uploads/" + id + "/finish", token, "application/json",
        HttpRequest.BodyPublishers.ofString("{\"header\":\"" + header + "\"}"));
    assertEquals(201, f.statusCode(), f.body());
    assertEquals(base + "/s/" + id, field(f.body(), "link"));
    HttpResponse<String> r = withToken("GET", "/api/secrets/" + id + "/receipt", token, null,
        HttpRequest.BodyPublishers.noBody());
    assertEquals("waiting", field(r.body(), "state"), r.body());
    HttpResponse<String> peek = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id)));
    byte[] context = java.util.Base64.getUrlDecoder().decode(field(peek.body(), "proofContext"));
    io.onetimeshare.Credential key = io.onetimeshare.Credential.key(sealing.key());
    String proof = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        io.onetimeshare.ClientEnvelope.proof(id, context, key));
    HttpResponse<String> wrong = send(post("/api/secrets/" + id + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"proof\":\"" + "A".repeat(43) + "\"}")));
    assertEquals(403, wrong.statusCode());
    HttpRequest.Builder open = post("/api/secrets/" + id + "/open", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"proof\":\"" + proof + "\"}"));
    HttpResponse<byte[]> o = http.send(open.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, o.statusCode());
    try (io.onetimeshare.OpenedStream s = io.onetimeshare.ClientEnvelope.open(id, key,
        new java.io.ByteArrayInputStream(o.body()))) {
      assertEquals("r.bin", s.filename());
      org.junit.jupiter.api.Assertions.assertArrayEquals(content, s.content().readAllBytes());
    }
    assertEquals(404, send(open).statusCode());
    HttpResponse<String> after = withToken("GET", "/api/secrets/" + id + "/receipt", token, null,
        HttpRequest.BodyPublishers.noBody());
    assertEquals("opened", field(after.body(), "state"), after.body());
    assertTrue(field(after.body(), "at") != null);
    assertEquals(403, withToken("GET", "/api/secrets/" + id + "/receipt", "A".repeat(43), null,
        HttpRequest.BodyPublishers.noBody()).statusCode());
  }

  @Test
  void uploadRequestsAreBoundedAndTyped() throws Exception {
    HttpResponse<String> b = send(post("/api/uploads", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"segmentSize\":1024}")));
    String id = field(b.body(), "id");
    String token = field(b.body(), "deleteToken");
    assertEquals(400, withToken("PUT", "/api/uploads/" + id + "/segments/0", null, "application/octet-stream",
        HttpRequest.BodyPublishers.ofByteArray(new byte[1040])).statusCode());
    assertEquals(415, withToken("PUT", "/api/uploads/" + id + "/segments/0", token, "text/plain",
        HttpRequest.BodyPublishers.ofByteArray(new byte[1040])).statusCode());
    // the content limit is 64 KiB: a body past it is refused while it streams
    try {
      HttpResponse<String> big = withToken("PUT", "/api/uploads/" + id + "/segments/0", token,
          "application/octet-stream", chunked(new byte[200 * 1040]));
      assertEquals(413, big.statusCode(), big.body());
    } catch (java.io.IOException cut) {
      // refused and closed while the client was still sending
    }
    assertEquals(400, send(post("/api/uploads", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"segmentSize\":99999999}"))).statusCode());
    HttpResponse<String> tiny = send(post("/api/uploads", "application/json",
        HttpRequest.BodyPublishers.ofString("{\"segmentSize\":16}"))); // below this deployment's floor (1 KiB)
    assertEquals(400, tiny.statusCode(), tiny.body());
    assertTrue(tiny.body().contains("segment size"), tiny.body());
    HttpResponse<String> badHeader = withToken("POST", "/api/uploads/" + id + "/finish", token, "application/json",
        HttpRequest.BodyPublishers.ofString("{\"header\":\"AAAA\"}"));
    assertEquals(400, badHeader.statusCode(), badHeader.body());
    assertTrue(badHeader.body().contains("envelope header"), badHeader.body());
    assertEquals(204, withToken("DELETE", "/api/uploads/" + id, token, null, HttpRequest.BodyPublishers.noBody())
        .statusCode());
    assertEquals(404, withToken("GET", "/api/uploads/" + id, token, null, HttpRequest.BodyPublishers.noBody())
        .statusCode());
  }

  /** An HTTP/1.0 exchange on a raw socket (no chunking: the body ends where the server closes): status line,
   * headers and the body bytes that arrived. */
  private String[] http10(String method, String path, String type, String body, java.io.ByteArrayOutputStream got)
      throws Exception {
    URI u = URI.create(base + path);
    try (java.net.Socket sock = new java.net.Socket(u.getHost(), u.getPort())) {
      sock.setSoTimeout(20_000);
      byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String head = method + " " + u.getRawPath() + " HTTP/1.0\r\nHost: " + u.getHost() + "\r\nContent-Type: " + type
          + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
      sock.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sock.getOutputStream().write(b);
      sock.getOutputStream().flush();
      java.io.InputStream in = sock.getInputStream();
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      try {
        in.transferTo(all);
      } catch (java.net.SocketException reset) {
        // a reset is one way to cut; what arrived before it is in `all`
      }
      byte[] raw = all.toByteArray();
      int end = 0;
      while (end + 3 < raw.length && !(raw[end] == 13 && raw[end + 1] == 10 && raw[end + 2] == 13 && raw[end + 3] == 10)) {
        end++;
      }
      String headers = new String(raw, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
      got.write(raw, Math.min(raw.length, end + 4), Math.max(0, raw.length - end - 4));
      return headers.split("\r\n");
    }
  }

  private static long contentLength(String[] headers) {
    for (String h : headers) {
      if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(h.substring(15).trim());
      }
    }
    return -1;
  }

  /**
   * Issue 19, finding 5: an opened secret is sent with its exact Content-Length, so a receiver tells a cut download
   * from a whole one even over HTTP/1.0 or Connection: close; a secret whose last segment is damaged arrives short.
   */
  @Test
  void anOpenedSecretHasItsLengthAndADamagedOneArrivesShortOfIt() throws Exception {
    for (int size : new int[] {60_000, 5000}) {
    for (boolean damaged : new boolean[] {false, true}) {
      io.onetimeshare.UploadTicket t = ots.beginUpload(java.time.Duration.ofMinutes(10), 1024);
      io.onetimeshare.ClientEnvelope.Sealing sealing = io.onetimeshare.ClientEnvelope.seal(t.id(), 1024, null,
          io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), io.onetimeshare.SecretKind.FILE, "cut.bin", null);
      byte[] content = new byte[size]; // 60,000: more than Jetty's (32 KiB) and Tomcat's (8 KiB) response buffer
      new java.util.Random(5).nextBytes(content);
      java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
      try (java.io.OutputStream o = sealing.open(segs)) {
        o.write(content);
      }
      byte[] sealed = segs.toByteArray();
      if (damaged) {
        sealed[sealed.length - 3] ^= 1; // the last segment: every earlier one streams out before it fails
      }
      ots.appendSegments(t.id(), t.deleteToken(), 0, new java.io.ByteArrayInputStream(sealed));
      ots.finishUpload(t.id(), t.deleteToken(), sealing.header());
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      String[] h = http10("POST", "/api/secrets/" + t.id() + "/open", "application/json",
          "{\"key\":\"" + sealing.key() + "\"}", got);
      if (damaged && size < 8192) { // failed while all of it was still buffered: a plain error, not a cut 200
        assertTrue(h[0].contains(" 500") && got.toString().contains("integrity_failure"), h[0] + " " + got);
        continue;
      }
      assertTrue(h[0].contains(" 200"), damaged + " " + h[0] + " " + got);
      assertEquals(content.length, contentLength(h), String.join("\n", h));
      if (damaged) {
        assertTrue(got.size() < content.length, "the cut body must be short of its length: " + got.size());
      } else {
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, got.toByteArray());
      }
    }
    }
    // the envelope handed out by proof carries its length too
    io.onetimeshare.UploadTicket t = ots.beginUpload(java.time.Duration.ofMinutes(10), 1024);
    io.onetimeshare.ClientEnvelope.Sealing sealing = io.onetimeshare.ClientEnvelope.seal(t.id(), 1024, null,
        io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), io.onetimeshare.SecretKind.TEXT, null, null);
    java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = sealing.open(segs)) {
      o.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    ots.appendSegments(t.id(), t.deleteToken(), 0, new java.io.ByteArrayInputStream(segs.toByteArray()));
    ots.finishUpload(t.id(), t.deleteToken(), sealing.header());
    byte[] context = ots.peek(t.id()).orElseThrow().proofContext();
    String proof = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(io.onetimeshare.ClientEnvelope
        .proof(t.id(), context, io.onetimeshare.Credential.key(sealing.key())));
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    String[] h = http10("POST", "/api/secrets/" + t.id() + "/open", "application/json",
        "{\"proof\":\"" + proof + "\"}", got);
    assertEquals(sealing.header().length + segs.size(), contentLength(h));
    assertEquals(contentLength(h), got.size());
  }
}
