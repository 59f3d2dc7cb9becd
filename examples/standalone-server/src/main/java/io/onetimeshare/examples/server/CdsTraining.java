package io.onetimeshare.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * The training run behind the class-data-sharing archive the build makes ({@code target/onetimeshare-server.jsa}):
 * run under {@code -XX:ArchiveClassesAtExit}, it starts the server with its defaults (memory storage) on a free
 * loopback port, sends it the requests a real start serves (health, the page and its scripts, JSON and multipart
 * creates, peeks, opens, errors) over a real socket, stops it and exits, so the JVM archives every class those
 * loaded. A server started with {@code -XX:SharedArchiveFile} on that archive maps them instead of loading them
 * (docs/operations.md, "Start-up"). On JDK 25+, where the image keeps an AOT cache with method profiles, the server's
 * warm-up runs first (up to {@link #PROFILE_TRAINING}). Holds no secret of anyone's: it creates and opens its own.
 */
public final class CdsTraining {
  private static final int ROUNDS = 40;
  /** How long the warm-up trains the AOT cache's profiles (JDK 25+): longer than a start's 10 s, as a build can wait. */
  static final java.time.Duration PROFILE_TRAINING = java.time.Duration.ofSeconds(30);

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    // A CDS archive (JDK 17-24) keeps classes only: this loop loads them, no warm-up needed. An AOT cache (JDK 25+)
    // also keeps the method profiles of the run, with which the JIT compiles sooner after a start: the server's own
    // warm-up (its real request path, up to 30 s) runs first to train them (issue 25, lever 3; docs/benchmarks.md).
    boolean profiles = Runtime.version().feature() >= 25;
    ServerOptions o = ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--request-log", "off",
        "--warmup", profiles ? "on" : "off",
        "--rate-create", "100000/1h", "--rate-open", "100000/1h"},
        Map.of());
    StandaloneServer s = StandaloneServer.start(o, PROFILE_TRAINING);
    int served = 0;
    try {
      s.awaitWarm(); // at once without the warm-up; this loop's requests would stop it early
      int port = s.port();
      for (int i = 0; i < ROUNDS; i++) {
        send(port, "GET", "/health", null, null, 200);
        send(port, "GET", "/", null, null, 200);
        send(port, "GET", "/ready", null, null, 200);
        for (String asset : new String[] {"app.css", "create.js", "crypto.js", "envelope.js", "reveal.js"}) {
          send(port, "GET", "/assets/" + asset, null, null, 200);
        }
        String json = send(port, "POST", "/api/secrets", "application/json",
            "{\"text\":\"training " + i + "\",\"ttl\":600}", 201);
        open(port, json);
        String multipart = "--t\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + "t".repeat(4096) + "\r\n--t--\r\n";
        open(port, send(port, "POST", "/api/secrets", "multipart/form-data; boundary=t", multipart, 201));
        send(port, "POST", "/api/secrets", "application/json", "{\"text\":", 400);
        send(port, "GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA", null, null, 404);
        served += 18;
      }
    } finally {
      s.close();
    }
    redisClasses();
    System.out.println("CDS training: " + served + " requests answered");
    System.exit(0); // the JVM writes the archive on exit
  }

  /**
   * Lettuce and Netty are most of what a start with {@code --storage redis} loads; a connection attempt to a closed
   * loopback port loads them (bootstrap, channel, codec, reconnect) without needing a Redis at build time.
   */
  private static void redisClasses() throws IOException {
    int closed;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    try (io.onetimeshare.redis.RedisStore store = io.onetimeshare.redis.RedisStore.connect(
        "redis://127.0.0.1:" + closed, java.time.Duration.ofSeconds(2))) {
      throw new IOException("a Redis answered on port " + closed + ", which was just closed (" + store.isCluster() + ")");
    } catch (io.onetimeshare.StoreUnavailableException expected) {
      // refused, as intended
    }
  }

  private static void open(int port, String created) throws IOException {
    Matcher m = Warmup.ID_KEY.matcher(created);
    if (!m.find()) {
      throw new IOException("training create failed: " + created.lines().findFirst().orElse(""));
    }
    send(port, "GET", "/s/" + m.group(1), null, null, 200);
    send(port, "GET", "/api/secrets/" + m.group(1), null, null, 200);
    send(port, "POST", "/api/secrets/" + m.group(1) + "/open", "application/x-www-form-urlencoded",
        "key=" + m.group(2), 200);
  }

  /** One request on its own connection; fails unless the status is {@code expected}. Returns the whole response. */
  private static String send(int port, String method, String path, @Nullable String type, @Nullable String body,
      int expected)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (body != null) {
      r.append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(content.length).append("\r\n");
    }
    r.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 " + expected + " ")) {
        throw new IOException(method + " " + path + " answered " + response.lines().findFirst().orElse("nothing")
            + ", expected " + expected);
      }
      return response;
    }
  }
}
