package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 (and 19's "the documents are the contract"): every endpoint of HTTP API v1, successes and errors, driven
 * against a real server, each request and answer checked against docs/openapi.yaml by Atlassian's OpenAPI validator.
 * Response objects are closed ({@code additionalProperties: false}), so a field the server adds without the document
 * fails here.
 */
class OpenApiContractIT {
  static StandaloneServer server;
  static String base;
  static OpenApiInteractionValidator validator;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> problems = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--rate-create", "off", "--rate-open", "off", "--warmup", "off", "--request-log", "off"}, Map.of()));
    base = "http://127.0.0.1:" + server.port();
    validator = OpenApiInteractionValidator.createForInlineApiSpecification(
        Files.readString(Path.of("../../docs/openapi.yaml"))).build();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** Sends a request, validates the exchange against the document, returns the answer. */
  private HttpResponse<byte[]> exchange(String method, String path, @Nullable String type, byte @Nullable [] body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    SimpleRequest.Builder r = new SimpleRequest.Builder(Request.Method.valueOf(method), path.split("\\?")[0]);
    if (path.contains("?")) {
      for (String kv : path.substring(path.indexOf('?') + 1).split("&")) {
        String[] p = kv.split("=", 2);
        r.withQueryParam(p[0], p.length > 1 ? p[1] : "");
      }
    }
    if (type != null) {
      b.header("Content-Type", type);
      r.withContentType(type);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      r.withHeader(headers[i], headers[i + 1]);
    }
    if (body != null) {
      r.withBody(body);
    }
    HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    SimpleResponse.Builder s = SimpleResponse.Builder.status(res.statusCode()).withBody(res.body());
    res.headers().map().forEach((k, v) -> {
      if (!k.equals(":status")) {
        s.withHeader(k, v);
      }
    });
    // every answer is checked against the document; a request too when the server accepted it (the refused ones
    // are refused on purpose: a content type or an id the document does not allow)
    ValidationReport report = res.statusCode() < 400 ? validator.validate(r.build(), s.build())
        : validator.validateResponse(path.split("\\?")[0], Request.Method.valueOf(method), s.build());
    if (report.hasErrors()) {
      problems.add(method + " " + path + " -> " + res.statusCode() + ": " + report.getMessages());
    }
    return res;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String field(HttpResponse<byte[]> r, String name) {
    return FaultInjectionIT.field(new String(r.body(), StandardCharsets.UTF_8), name);
  }

  /** Issue 21: who may create; refusals and /api/session as the document says. */
  @Test
  void createRefusalsAndTheSessionAnswerAsTheDocumentSays(@org.junit.jupiter.api.io.TempDir Path data)
      throws Exception {
    String json = "application/json";
    exchange("GET", "/api/session", null, null);
    String open = base;
    for (String access : List.of("tokens", "nobody")) {
      StandaloneServer s = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
          "127.0.0.1", "--warmup", "off", "--request-log", "off", "--storage", "file", "--data-dir",
          data.resolve(access).toString(), "--create-access", access}, Map.of()));
      try {
        base = "http://127.0.0.1:" + s.port();
        assertEquals(access.equals("tokens") ? 401 : 403, exchange("POST", "/api/secrets", json,
            utf8("{\"text\":\"x\"}")).statusCode());
        exchange("POST", "/api/secrets", json, utf8("{\"text\":\"x\"}"), "Authorization", "Bearer ots_nope");
        exchange("POST", "/api/uploads", json, utf8("{\"segmentSize\":65536}"));
        exchange("GET", "/api/session", null, null);
      } finally {
        base = open;
        s.close();
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Issue 23: asking, reading, answering (twice), the receipt and withdrawal, as the document says. */
  @Test
  void secretRequestsAnswerAsTheDocumentSays() throws Exception {
    String json = "application/json";
    String key = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        io.onetimeshare.ClientEnvelope.RecipientKeys.generate().publicKey());
    HttpResponse<byte[]> asked = exchange("POST", "/api/requests", json, utf8("{\"publicKey\":\"" + key
        + "\",\"ttl\":600}"));
    assertEquals(201, asked.statusCode());
    String id = field(asked, "id");
    String owner = field(asked, "ownerToken");
    String answerToken = field(asked, "answerToken");
    assertEquals(200, exchange("GET", "/api/requests/" + id, null, null).statusCode());
    assertEquals(403, exchange("POST", "/api/requests/" + id + "/answer", json, utf8("{\"segmentSize\":65536}"),
        "OTS-Answer-Token", "A".repeat(43)).statusCode(), "the id alone answers nothing (issue 36)");
    assertEquals(201, exchange("POST", "/api/requests/" + id + "/answer", json, utf8("{\"segmentSize\":65536}"),
        "OTS-Answer-Token", answerToken).statusCode());
    assertEquals(409, exchange("POST", "/api/requests/" + id + "/answer", json, utf8("{\"segmentSize\":65536}"),
        "OTS-Answer-Token", answerToken).statusCode());
    assertEquals(200, exchange("GET", "/api/requests/" + id + "/receipt", null, null, "OTS-Owner-Token", owner)
        .statusCode());
    assertEquals(403, exchange("GET", "/api/requests/" + id + "/receipt", null, null, "OTS-Owner-Token",
        "x".repeat(43)).statusCode());
    assertEquals(400, exchange("POST", "/api/requests", json, utf8("{\"publicKey\":\"AAAA\"}")).statusCode());
    assertEquals(204, exchange("DELETE", "/api/requests/" + id, null, null, "OTS-Owner-Token", owner).statusCode());
    assertEquals(404, exchange("GET", "/api/requests/" + id, null, null).statusCode());
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Issue 22: "notify" on every create path, the signing secret in the answers, refusals, the session's flag. */
  @Test
  void callbacksAnswerAsTheDocumentSays() throws Exception {
    StandaloneServer s = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--warmup", "off", "--request-log", "off", "--notify-callbacks", "on", "--notify-allow-http", "on",
        "--notify-allow-ranges", "127.0.0.0/8", "--notify-allow-ports", "any"}, Map.of()));
    String open = base;
    try {
      base = "http://127.0.0.1:" + s.port();
      String json = "application/json";
      String hook = "http://127.0.0.1:9/hook"; // loopback only: the deliveries fail at once, nothing leaves
      assertEquals(201, exchange("POST", "/api/secrets", json, utf8("{\"text\":\"x\",\"notify\":\"" + hook + "\"}"))
          .statusCode());
      assertEquals(201, exchange("POST", "/api/uploads", json, utf8("{\"segmentSize\":65536,\"notify\":\"" + hook
          + "\"}")).statusCode());
      assertEquals(201, exchange("POST", "/api/secrets?notify=" + java.net.URLEncoder.encode(hook,
          StandardCharsets.UTF_8), "application/octet-stream", utf8("raw")).statusCode());
      assertEquals(400, exchange("POST", "/api/secrets", json,
          utf8("{\"text\":\"x\",\"notify\":\"https://10.0.0.1/hook\"}")).statusCode());
      exchange("GET", "/api/session", null, null);
    } finally {
      base = open;
      s.close();
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyEndpointAnswersAsTheDocumentSays() throws Exception {
    String json = "application/json";
    HttpResponse<byte[]> c = exchange("POST", "/api/secrets", json, utf8("{\"text\":\"openapi\",\"ttl\":600}"));
    assertEquals(201, c.statusCode());
    String id = field(c, "id");
    String key = field(c, "key");
    String token = field(c, "deleteToken");
    exchange("POST", "/api/secrets", json, utf8("{\"text\":\"\"}"));
    exchange("POST", "/api/secrets", "text/xml", utf8("<x/>"));
    exchange("POST", "/api/secrets?ttl=600&filename=r.bin", "application/octet-stream", new byte[] {1, 2, 3});
    exchange("GET", "/api/secrets/" + id, null, null);
    exchange("GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA", null, null);
    exchange("GET", "/api/secrets/not-an-id", null, null);
    exchange("POST", "/api/secrets/" + id + "/open", json, utf8("{\"key\":\"" + "A".repeat(43) + "\"}"));
    exchange("POST", "/api/secrets/" + id + "/open", json, utf8("{}"));
    exchange("POST", "/api/secrets/" + id + "/open", "text/plain", utf8("key"));
    assertEquals(200, exchange("POST", "/api/secrets/" + id + "/open", json,
        utf8("{\"key\":\"" + key + "\"}")).statusCode());
    exchange("POST", "/api/secrets/" + id + "/open", "application/x-www-form-urlencoded", utf8("key=" + key));
    exchange("GET", "/api/secrets/" + id + "/receipt", null, null, "OTS-Delete-Token", token);
    exchange("GET", "/api/secrets/" + id + "/receipt", null, null, "OTS-Delete-Token", "B".repeat(43));
    exchange("GET", "/api/secrets/" + id + "/receipt", null, null);
    HttpResponse<byte[]> d = exchange("POST", "/api/secrets", json, utf8("{\"text\":\"to delete\"}"));
    exchange("DELETE", "/api/secrets/" + field(d, "id"), null, null, "OTS-Delete-Token", "C".repeat(43));
    assertEquals(204, exchange("DELETE", "/api/secrets/" + field(d, "id"), null, null, "OTS-Delete-Token",
        field(d, "deleteToken")).statusCode());
    exchange("DELETE", "/api/secrets/" + field(d, "id"), null, null, "OTS-Delete-Token", field(d, "deleteToken"));

    // uploads, with an envelope sealed here as a client would
    HttpResponse<byte[]> u = exchange("POST", "/api/uploads", json, utf8("{\"segmentSize\":65536,\"ttl\":600}"));
    assertEquals(201, u.statusCode());
    String uid = field(u, "id");
    String ut = field(u, "deleteToken");
    exchange("POST", "/api/uploads", json, utf8("{\"segmentSize\":16}"));
    io.onetimeshare.ClientEnvelope.Sealing sealing = io.onetimeshare.ClientEnvelope.seal(uid, 65536, null,
        io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), io.onetimeshare.SecretKind.TEXT, null, null);
    java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = sealing.open(segs)) {
      o.write(utf8("sealed here"));
    }
    exchange("PUT", "/api/uploads/" + uid + "/segments/3", "application/octet-stream", segs.toByteArray(),
        "OTS-Delete-Token", ut);
    assertEquals(200, exchange("PUT", "/api/uploads/" + uid + "/segments/0", "application/octet-stream",
        segs.toByteArray(), "OTS-Delete-Token", ut).statusCode());
    exchange("GET", "/api/uploads/" + uid, null, null, "OTS-Delete-Token", ut);
    exchange("GET", "/api/uploads/" + uid, null, null, "OTS-Delete-Token", "D".repeat(43));
    exchange("POST", "/api/uploads/" + uid + "/finish", json, utf8("{\"header\":\"AAAA\"}"), "OTS-Delete-Token", ut);
    String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sealing.header());
    assertEquals(201, exchange("POST", "/api/uploads/" + uid + "/finish", json,
        utf8("{\"header\":\"" + header + "\"}"), "OTS-Delete-Token", ut).statusCode());
    exchange("GET", "/api/uploads/" + uid, null, null, "OTS-Delete-Token", ut);
    HttpResponse<byte[]> peek = exchange("GET", "/api/secrets/" + uid, null, null);
    byte[] context = java.util.Base64.getUrlDecoder().decode(field(peek, "proofContext"));
    String proof = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(io.onetimeshare.ClientEnvelope
        .proof(uid, context, io.onetimeshare.Credential.key(sealing.key())));
    assertEquals(200, exchange("POST", "/api/secrets/" + uid + "/open", json,
        utf8("{\"proof\":\"" + proof + "\"}")).statusCode());
    HttpResponse<byte[]> a = exchange("POST", "/api/uploads", json, utf8("{\"segmentSize\":65536}"));
    assertEquals(204, exchange("DELETE", "/api/uploads/" + field(a, "id"), null, null, "OTS-Delete-Token",
        field(a, "deleteToken")).statusCode());

    exchange("GET", "/health", null, null);
    exchange("GET", "/ready", null, null);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
