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
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.ServerConnector;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.spi.RateLimit;
import org.jspecify.annotations.Nullable;
import org.eclipse.jetty.server.Server;

/**
 * Runs the request path a few thousand times right after start, so that the JIT has compiled it before clients
 * arrive: without it the first tens of seconds of load run interpreted code, AES-GCM's GHASH in pure Java above all
 * (docs/benchmarks.md, "Warm-up"). The requests go through a second connector on a loopback port of its own (the same
 * socket, selector and HTTP parsing code as the public connector, with keep-alive), from one client thread per core,
 * to a second servlet backed by its own throwaway in-memory vault and limiters, behind a trusted proxy as the public
 * one may be: the same classes as the public servlet, none of its secrets, budgets, logs or metrics (issue 25: the
 * warm-up through an in-memory connector without limiters left the real paths to compile under load). Bounded in rounds and time; runs on one background thread, and stops as soon as the first real
 * request is answered: under load from the first second it would only compete with the requests for the CPU (measured:
 * docs/benchmarks.md), so it uses the time a server spends idle after start (a rolling deploy, a readiness delay).
 */
final class Warmup {
  static final String CONNECTOR = "warmup";
  private static final System.Logger LOG = System.getLogger(Warmup.class.getName());
  /** The id and key in a create's JSON answer (also read by {@link CdsTraining}). */
  static final Pattern ID_KEY = Pattern.compile("\"id\":\"([^\"]+)\",\"key\":\"([^\"]+)\"");
  /** At most this many rounds per second of the budget (a fast machine is done sooner). */
  private static final int ROUNDS_PER_SECOND = 300;
  /** At most 10 s: /ready waits for it (issue 25), so a load balancer's patience bounds it. */
  static final java.time.Duration BUDGET = java.time.Duration.ofSeconds(10);

  private final ServerConnector connector;
  private final OneTimeShare ots;
  private final long maxNanos;
  private volatile boolean stopped;
  /** Rounds completed (a create and an open of each kind), for tests and the debug log. */
  private final java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();

  private Warmup(ServerConnector connector, OneTimeShare ots, java.time.Duration budget) {
    this.connector = connector;
    this.ots = ots;
    this.maxNanos = budget.toNanos();
  }

  /** Adds the in-memory connector and the warm-up context to {@code server} (before it starts). */
  static Warmup install(Server server, HttpConfiguration http, Handler.Sequence handlers,
      java.util.function.BiFunction<ServletSettings, Handler, Handler> publicChain, java.time.Duration budget) {
    ServerConnector local = new ServerConnector(server, new HttpConnectionFactory(http));
    local.setName(CONNECTOR);
    local.setHost("127.0.0.1");
    local.setPort(0);
    server.addConnector(local);
    OneTimeShare ots = OneTimeShare.builder().vault(InMemorySecretVault.builder().maxBytes(64L << 20).build())
        .argon2(Argon2idParameters.owaspMinimum()).build();
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.setVirtualHosts(List.of("@" + CONNECTOR));
    // limiters and a trusted proxy like the public servlet's (its own, with limits no warm-up reaches)
    RateLimit plenty = new RateLimit(1_000_000_000L, java.time.Duration.ofHours(1));
    ServletSettings settings = ServletSettings.builder()
        .createLimiter(InMemoryRateLimiter.builder(plenty).build())
        .openLimiter(InMemoryRateLimiter.builder(plenty).build())
        .createBytesLimiter(InMemoryRateLimiter.builder(new RateLimit(1L << 40, java.time.Duration.ofHours(1))).build())
        .trustedProxies("127.0.0.1").build();
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, settings)), "/*");
    // the public requests' handlers (thread budget per client, minimum body rate, in-flight count), instances of
    // their own, behind a gate that passes only the warm-up connector's requests and declines the rest untouched
    handlers.addHandler(new Handler.Wrapper(publicChain.apply(settings, ctx)) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())
            && super.handle(request, response, callback);
      }
    });
    return new Warmup(local, ots, budget);
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

  int rounds() {
    return completed.get();
  }

  void stop() {
    if (!stopped) {
      stopped = true;
    }
  }

  private void run() {
    long t0 = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
    int clients = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    List<Thread> threads = new java.util.ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> train(client, t0, rounds), "ots-warmup-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
      LOG.log(Level.DEBUG, "Warm-up: {0} rounds in {1} ms", rounds.get(), (System.nanoTime() - t0) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ots.close();
      // the warm-up's port is closed once it is over: nothing but the public connector listens afterwards
      try {
        connector.stop();
        connector.getServer().removeConnector(connector);
      } catch (Exception e) {
        LOG.log(Level.DEBUG, "Warm-up connector: {0}", e.toString());
      }
    }
  }

  /** One client's rounds, on one keep-alive connection (a new one after any close). */
  private void train(int client, long t0, java.util.concurrent.atomic.AtomicInteger rounds) {
    String file = "x".repeat(4096);
    Http http = null;
    try {
      while (!stopped && rounds.get() < ROUNDS_PER_SECOND * (maxNanos / 1_000_000_000L)
          && System.nanoTime() - t0 < maxNanos) {
        if (http == null || http.closed) {
          if (http != null) {
            http.close();
          }
          http = new Http(connector.getLocalPort());
        }
        int r = rounds.getAndIncrement();
        // many client identities, as behind a proxy: the limiters' per-client paths are trained too
        String from = "10." + client + "." + (r % 200) / 100 + "." + r % 100;
        String multipart = "--w\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + file + "\r\n--w--\r\n";
        // a file opened with a form-encoded key (the page's fallback, curl, the original stack's clients), a text
        // opened with JSON: both body parsers of the open are trained
        open(http, from, http.send("POST", "/api/secrets", "multipart/form-data; boundary=w", multipart, from), true);
        open(http, from, http.send("POST", "/api/secrets", "application/json",
            "{\"text\":\"warm " + r + "\",\"ttl\":600}", from), false);
        completed.incrementAndGet();
      }
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "Warm-up stopped early: {0}", e.toString());
    } finally {
      if (http != null) {
        http.close();
      }
    }
  }

  private static void open(Http http, String from, String created, boolean form) throws Exception {
    Matcher m = ID_KEY.matcher(created);
    if (!m.find()) {
      throw new IllegalStateException("warm-up create failed: " + created.lines().findFirst().orElse(""));
    }
    http.send("GET", "/api/secrets/" + m.group(1), null, null, from);
    if (form) {
      http.send("POST", "/api/secrets/" + m.group(1) + "/open", "application/x-www-form-urlencoded",
          "key=" + m.group(2), from);
    } else {
      http.send("POST", "/api/secrets/" + m.group(1) + "/open", "application/json",
          "{\"key\":\"" + m.group(2) + "\"}", from);
    }
  }

  /** The smallest HTTP/1.1 client that keeps its connection: every answer of the servlet has a Content-Length. */
  private static final class Http implements AutoCloseable {
    private final java.net.Socket socket;
    private final java.io.BufferedInputStream in;
    private final java.io.OutputStream out;
    boolean closed;

    Http(int port) throws java.io.IOException {
      socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    String send(String method, String path, @Nullable String type, @Nullable String body, String from)
        throws java.io.IOException {
      byte[] b = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      StringBuilder r = new StringBuilder(method).append(' ').append(path)
          .append(" HTTP/1.1\r\nHost: warmup\r\nX-Forwarded-For: ").append(from).append("\r\n");
      if (body != null) {
        r.append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(b.length).append("\r\n");
      }
      r.append("\r\n");
      out.write(r.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.write(b);
      out.flush();
      // status line and headers, then exactly Content-Length bytes
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        head.append((char) c);
        int n = head.length();
        if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n'
            && head.charAt(n - 4) == '\r') {
          break;
        }
      }
      if (c < 0) {
        closed = true;
        throw new java.io.EOFException("the warm-up connection closed");
      }
      String h = head.toString().toLowerCase(java.util.Locale.ROOT);
      Matcher len = CONTENT_LENGTH.matcher(h);
      int length = len.find() ? Integer.parseInt(len.group(1)) : 0;
      if (h.contains("\r\nconnection: close")) {
        closed = true;
      }
      byte[] answer = in.readNBytes(length);
      return head + new String(answer, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      closed = true;
      try {
        socket.close();
      } catch (java.io.IOException ignored) {
        // closing a loopback socket
      }
    }
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length: *([0-9]+)");
}
