package io.onetimeshare.examples.server;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * Runs the request path a few thousand times right after start, so that the JIT has compiled it before clients
 * arrive: without it the first tens of seconds of load run interpreted code, AES-GCM's GHASH in pure Java above all
 * (docs/benchmarks.md, "Warm-up"). The requests go through an in-memory connector (no socket) to a second servlet
 * backed by its own throwaway in-memory vault: the same classes as the public servlet, none of its secrets, limits,
 * logs or metrics. Bounded in rounds and time; runs on one background thread, and stops as soon as the first real
 * request is answered: under load from the first second it would only compete with the requests for the CPU (measured:
 * docs/benchmarks.md), so it uses the time a server spends idle after start (a rolling deploy, a readiness delay).
 */
final class Warmup {
  static final String CONNECTOR = "warmup";
  private static final System.Logger LOG = System.getLogger(Warmup.class.getName());
  /** The id and key in a create's JSON answer (also read by {@link CdsTraining}). */
  static final Pattern ID_KEY = Pattern.compile("\"id\":\"([^\"]+)\",\"key\":\"([^\"]+)\"");
  private static final int ROUNDS = 3000;
  /** At most 10 s: /ready waits for it (issue 25), so a load balancer's patience bounds it. */
  private static final long MAX_NANOS = 10_000_000_000L;

  private final LocalConnector connector;
  private final OneTimeShare ots;
  private volatile boolean stopped;

  private Warmup(LocalConnector connector, OneTimeShare ots) {
    this.connector = connector;
    this.ots = ots;
  }

  /** Adds the in-memory connector and the warm-up context to {@code server} (before it starts). */
  static Warmup install(Server server, HttpConfiguration http, org.eclipse.jetty.server.Handler.Sequence handlers) {
    LocalConnector local = new LocalConnector(server, new HttpConnectionFactory(http));
    local.setName(CONNECTOR);
    server.addConnector(local);
    OneTimeShare ots = OneTimeShare.builder().vault(InMemorySecretVault.builder().maxBytes(64L << 20).build())
        .argon2(Argon2idParameters.owaspMinimum()).build();
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.setVirtualHosts(List.of("@" + CONNECTOR));
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, ServletSettings.builder().build())), "/*");
    handlers.addHandler(ctx); // declines every request but the warm-up connector's
    return new Warmup(local, ots);
  }

  /** Starts warming up in the background; {@code done} runs when it ends, however it ends. */
  Thread start(Runnable done) {
    Thread t = new Thread(() -> {
      try {
        run();
      } finally {
        done.run();
      }
    }, "ots-warmup");
    t.setDaemon(true);
    t.start();
    return t;
  }

  void stop() {
    if (!stopped) {
      stopped = true;
    }
  }

  private void run() {
    long t0 = System.nanoTime();
    int rounds = 0;
    String file = "x".repeat(4096);
    try {
      while (!stopped && rounds < ROUNDS && System.nanoTime() - t0 < MAX_NANOS) {
        String multipart = "--w\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + file + "\r\n--w--\r\n";
        open(send("POST", "/api/secrets", "multipart/form-data; boundary=w", multipart));
        open(send("POST", "/api/secrets", "application/json", "{\"text\":\"warm " + rounds + "\",\"ttl\":600}"));
        rounds++;
      }
      LOG.log(Level.DEBUG, "Warm-up: {0} rounds in {1} ms", rounds, (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Warm-up stopped early: {0}", e.toString());
    } finally {
      ots.close();
    }
  }

  private void open(String created) throws Exception {
    Matcher m = ID_KEY.matcher(created);
    if (!m.find()) {
      throw new IllegalStateException("warm-up create failed: " + created.lines().findFirst().orElse(""));
    }
    send("GET", "/api/secrets/" + m.group(1), null, null);
    send("POST", "/api/secrets/" + m.group(1) + "/open", "application/json", "{\"key\":\"" + m.group(2) + "\"}");
  }

  private String send(String method, String path, String type, String body) throws Exception {
    StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: warmup\r\n");
    if (body != null) {
      r.append("Content-Type: ").append(type).append("\r\nContent-Length: ")
          .append(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n");
    }
    r.append("Connection: close\r\n\r\n");
    if (body != null) {
      r.append(body);
    }
    return connector.getResponse(r.toString());
  }
}
