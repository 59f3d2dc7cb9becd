package io.onetimeshare.servlet.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback for tests: records every request and answers as told per path. It verifies
 * signatures with its own code, written from the Standard Webhooks text, not with the server's.
 */
final class Receiver implements AutoCloseable {
  /** One request as received. */
  record Hit(String path, Map<String, String> headers, byte[] body, long receivedAtSeconds) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the webhook-signature header holds a v1 signature made with {@code secret} ({@code whsec_...}). */
    boolean signedWith(String secret) {
      try {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signed = header("webhook-id") + "." + header("webhook-timestamp") + ".";
        mac.update(signed.getBytes(StandardCharsets.UTF_8));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(body));
        for (String sig : header("webhook-signature").split(" ")) {
          if (sig.startsWith("v1,") && java.security.MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.US_ASCII), sig.substring(3).getBytes(StandardCharsets.US_ASCII))) {
            return true;
          }
        }
        return false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Hit> hits = new ArrayList<>();
  private final Map<String, ToIntFunction<Hit>> answers = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** How to answer requests to {@code path}: a status (after any wait the function makes). Default 200. */
  void answer(String path, ToIntFunction<Hit> f) {
    answers.put(path, f);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange x) throws IOException {
    Map<String, String> h = new java.util.HashMap<>();
    x.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    byte[] body = x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getRawPath() + (x.getRequestURI().getRawQuery() == null ? ""
        : "?" + x.getRequestURI().getRawQuery());
    Hit hit = new Hit(path, Map.copyOf(h), body, System.currentTimeMillis() / 1000);
    synchronized (hits) {
      hits.add(hit);
      hits.notifyAll();
    }
    int status = answers.getOrDefault(x.getRequestURI().getRawPath(), any -> 200).applyAsInt(hit);
    if (status >= 300 && status < 400) {
      x.getResponseHeaders().add("Location", url("/stolen"));
    }
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  /** The requests so far to {@code path}. */
  List<Hit> hits(String path) {
    synchronized (hits) {
      return hits.stream().filter(hit -> hit.path().equals(path)).toList();
    }
  }

  /** Waits up to {@code seconds} for {@code n} requests to {@code path}. */
  List<Hit> await(String path, int n, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    synchronized (hits) {
      while (hits(path).size() < n && System.nanoTime() < deadline) {
        hits.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      return hits(path);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
