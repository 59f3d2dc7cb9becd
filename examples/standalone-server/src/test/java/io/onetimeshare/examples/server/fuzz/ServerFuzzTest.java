package io.onetimeshare.examples.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.onetimeshare.examples.server.ServerOptions;
import io.onetimeshare.examples.server.StandaloneServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for the server's edges: the command line, and whole HTTP requests (method, path, content type,
 * headers, body) sent over a real socket to the real server. Property: never a 500, never a non-JSON error.
 */
class ServerFuzzTest {
  private static StandaloneServer server;

  private static synchronized int port() throws Exception {
    if (server == null) {
      server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
          "--max-size", "64KB", "--rate-create", "off", "--rate-open", "off"}, Map.of()));
    }
    return server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Arbitrary command lines: a valid configuration or a BadOption with a message, nothing else. */
  @FuzzTest(maxDuration = "30s")
  void commandLine(FuzzedDataProvider data) {
    List<String> args = new java.util.ArrayList<>();
    int n = data.consumeInt(0, 8);
    for (int i = 0; i < n; i++) {
      args.add(data.consumeBoolean() ? "--" + data.pickValue(List.of("port", "bind", "storage", "data-dir",
          "redis-uri", "max-size", "default-ttl", "rate-create", "rate-open", "trusted-proxies", "public-url",
          "help")) : data.consumeString(40));
    }
    try {
      ServerOptions.parse(args.toArray(String[]::new), Map.of());
    } catch (ServerOptions.BadOption e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  /** Whole HTTP requests: every answer is a proper status, errors are JSON, and none is a 500. */
  @FuzzTest(maxDuration = "60s")
  void httpRequest(FuzzedDataProvider data) throws Exception {
    String method = data.pickValue(List.of("GET", "POST", "HEAD", "DELETE", "PUT", "PATCH", "OPTIONS"));
    String path = data.pickValue(List.of("/api/secrets", "/api/secrets/", "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA",
        "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA/open", "/health", "/ready", "/", "/s/", "/assets/"))
        + data.consumeString(30).replaceAll("[\\s\\x00-\\x1f\\x7f-\\uffff]", "");
    String type = data.pickValue(List.of("application/json", "multipart/form-data; boundary=q",
        "application/octet-stream", "application/x-www-form-urlencoded", "text/plain", ""));
    String header = data.consumeString(60).replaceAll("[\\r\\n\\x00]", "");
    byte[] body = data.consumeRemainingAsBytes();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n") + "Content-Length: " + body.length + "\r\n"
        + "OTS-Passphrase: " + header + "\r\nOTS-Delete-Token: " + header + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    req.write(body);
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (response.isEmpty()) {
        return; // the server may close a connection it considers broken; not a 500
      }
      int status = Integer.parseInt(response.substring(9, 12));
      assertNotEquals(500, status, response);
      if (status >= 400 && !method.equals("HEAD")) {
        assertTrue(response.contains("application/json") && response.contains("\"error\":"), response);
      }
    } catch (IOException e) {
      // a connection reset for an unparseable request is acceptable
    }
  }
}
