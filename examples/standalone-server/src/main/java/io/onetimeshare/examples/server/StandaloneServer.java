package io.onetimeshare.examples.server;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.redis.RedisRateLimiter;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.ServerConnector;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The standalone OneTimeShare server: embedded Jetty 12 (ee10) serving {@link OneTimeShareServlet} at {@code /}. */
public final class StandaloneServer implements AutoCloseable {
  private final Server server;
  private final OneTimeShare ots;
  private final ServerConnector connector;
  private final RedisStore redis;
  private final PerClientConnectionLimit connections;
  private final SecretVault vault;
  private final InFlight inFlight;
  private final Duration grace;
  private final @Nullable ServerConnector management;
  private final @Nullable RequestLogger requestLog;
  private final @Nullable Warmup warmup;
  private final io.onetimeshare.examples.server.signin.@Nullable OidcSignIn signIn;
  private final io.onetimeshare.servlet.notify.@Nullable Notifier notifier;
  /** Whether the start-up warm-up is over (true at once with --warmup off): /ready says 503 until then. */
  private final java.util.concurrent.atomic.AtomicBoolean warm = new java.util.concurrent.atomic.AtomicBoolean();
  private @Nullable Thread warmupThread;
  static {
    // Jetty pads its queues to cache lines and, unless told how many references fit in one, asks the JVM through JMX
    // whether oops are compressed: that starts the platform MBean server and every platform MXBean, ~90 ms of a
    // ~500 ms start (docs/operations.md, "Start-up"). Compressed below 32 GiB of heap; only padding depends on it.
    String refs = "org.eclipse.jetty.util.referencesPerCacheLine";
    if (System.getProperty(refs) == null) {
      System.setProperty(refs, Runtime.getRuntime().maxMemory() < (31L << 30) ? "16" : "8");
    }
  }

  /** A connection with nothing happening on it for this long is closed (idle keep-alives, stalled headers). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);
  /** Request bodies are read from the socket in pieces of this size (Jetty's default is 8 KiB). */
  static final int INPUT_BUFFER = 64 * 1024;

  /** The handlers every public request passes before its servlet context: a thread budget per client, then a
   *  minimum body rate when one is set, then {@code graceful}. */
  private static Handler chain(ServletSettings settings, ServerOptions o, InFlight graceful) {
    PerClientThreadLimit threads = new PerClientThreadLimit(settings, o.maxThreadsPerClient());
    // a body that trickles in (or a response nobody reads) below this rate is cut off instead of holding a thread
    threads.setHandler(o.minDataRate() > 0 ? new MinimumBodyRate(graceful, o.minDataRate()) : graceful);
    return threads;
  }

  private StandaloneServer(ServerOptions o, Duration warmupBudget) throws Exception {
    RedisStore redis = null;
    if (o.storage().equals("redis")) {
      redis = connectRedis(o);
    }
    this.redis = redis;
    // only when --metrics-port exposes them: nobody could read them otherwise, so nothing pays for them
    Metrics m = o.metricsPort().isPresent() ? new Metrics() : null;
    ShareEvents metricEvents = m == null ? ShareEvents.NONE : m;
    // with access control, who created what goes to the audit log (issue 21)
    ShareEvents events = o.access().anyone() ? metricEvents : new AuditEvents(metricEvents);
    io.onetimeshare.spi.SecretVault records = switch (o.storage()) {
      case "file" -> FileSecretVault.builder(o.dataDir()).events(events).build();
      case "redis" -> RedisSecretVault.builder(redis).build();
      default -> InMemorySecretVault.builder().maxBytes(o.memoryCapacity()).events(events).build();
    };
    // issue 37: bodies in an object store, records and claims where they were (exactly once stays in --storage)
    this.vault = o.bodies().kind().equals("s3") ? io.onetimeshare.split.SplitVault.builder(records,
        o.bodies().open()).sweepInterval(o.bodies().sweepInterval())
        .largestBody(io.onetimeshare.split.SplitVault.sealedBound(o.maxSize())).build() : records;
    OneTimeShare.Builder b = OneTimeShare.builder().events(events).maxContentBytes(o.maxSize())
        .kdfLimits(o.kdfConcurrency(), o.kdfQueue(), o.kdfWait());
    try {
      b.defaultTtl(o.defaultTtl());
    } catch (io.onetimeshare.InvalidArgumentException e) {
      throw new ServerOptions.BadOption("--default-ttl: " + e.getMessage());
    }
    b.vault(vault);
    // the operator's webhook endpoints: every secret records the events they want (issue 22)
    b.notifyEndpoints(o.notifications().targets());
    this.ots = b.build();
    ServletSettings.Builder s = ServletSettings.builder().branding(o.branding());
    RedisStore shared = redis;
    // with Redis, the limits are shared by every instance; otherwise they live in this process
    // (issue 19, finding 14) a shared limiter whose store is unreachable limits locally for --rate-fallback
    java.util.function.BiFunction<RateLimit, String, io.onetimeshare.spi.RateLimiter> limiter = (r, name) ->
        shared == null ? InMemoryRateLimiter.builder(r).build()
            : o.rateFallback().isZero() ? RedisRateLimiter.create(shared, r, "ots", name)
            : io.onetimeshare.spi.FallbackRateLimiter.of(RedisRateLimiter.create(shared, r, "ots", name),
                InMemoryRateLimiter.builder(r).build(), o.rateFallback(), java.time.Clock.systemUTC());
    o.rateCreate().ifPresent(r -> s.createLimiter(limiter.apply(r, "create")));
    o.rateOpen().ifPresent(r -> s.openLimiter(limiter.apply(r, "open")));
    o.rateCreateBytes().ifPresent(r -> s.createBytesLimiter(limiter.apply(r, "create-bytes")));
    s.ipv6ClientPrefix(o.ipv6ClientPrefix());
    if (!o.trustedProxies().isBlank()) {
      try {
        s.trustedProxies(o.trustedProxies());
      } catch (RuntimeException e) {
        throw new ServerOptions.BadOption("--trusted-proxies: " + e.getMessage());
      }
    }
    o.publicUrl().ifPresent(s::publicUrl);
    if (o.notifications().callbacks()) {
      s.notifyCallbacks(o.notifications().policy());
    }
    if (o.notifications().enabled()) {
      io.onetimeshare.servlet.notify.Notifier.Builder nb = o.notifications().notifier(ots.outbox().orElseThrow());
      if (m != null) {
        nb.listener(m::notifyAttempt);
      }
      this.notifier = nb.build();
      if (m != null) {
        m.bindNotifier(notifier);
      }
    } else {
      this.notifier = null;
    }
    // sign-outs are kept where the secrets are, so every instance sharing the store refuses a signed-out cookie
    io.onetimeshare.spi.Revocations revoked = redis != null ? io.onetimeshare.redis.RedisRevocations.create(redis, "ots")
        : o.storage().equals("file") ? io.onetimeshare.file.FileRevocations.in(o.dataDir())
        : io.onetimeshare.memory.InMemoryRevocations.create();
    this.signIn = o.access().oidc().map(settings -> new io.onetimeshare.examples.server.signin.OidcSignIn(settings,
        revoked)).orElse(null);
    s.createPolicy(createPolicy(o.access(), redis, o, signIn));

    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("ots");
    Executor virtual = virtualThreads();
    if (virtual != null) {
      pool.setVirtualThreadsExecutor(virtual);
    }
    server = new Server(pool);
    // /ready waits for the start-up training (issue 25): a load balancer sends no traffic to a cold server
    s.readyWhen(warm::get);
    ServletSettings settings = s.build();
    if (signIn != null && o.rateOpen().isPresent()) {
      // issue 36, finding 6: each start and end of a sign-in is charged to the client's open budget (in Redis shared
      // with its opens) before the server calls the provider
      io.onetimeshare.spi.RateLimiter signInBudget = limiter.apply(o.rateOpen().get(), "open");
      signIn.limit(req -> {
        try {
          return signInBudget.tryAcquire(settings.clientOf(req.getRemoteAddr(),
              java.util.Collections.list(req.getHeaders("X-Forwarded-For")))).allowed();
        } catch (io.onetimeshare.StoreUnavailableException e) {
          return true; // the budgets' store is down (past --rate-fallback): signing in needs no store, so it goes on
        }
      });
    }
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(16 * 1024);
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    // a request body is read from the socket in pieces of this size: Jetty's 8 KiB made 131,000 reads per GiB
    // uploaded (issue 25, lever 2); a connection holds the buffer only while a read is being parsed
    h1.setInputBufferSize(INPUT_BUFFER);
    connector = new ServerConnector(server, h1);
    connector.setHost(o.bind());
    connector.setPort(o.port());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setName("public");
    // Java's default listen backlog is 50: a burst of connections from one client would fill it and every other
    // client's SYN would wait for a 1 s retransmit; the kernel caps this at net.core.somaxconn
    connector.setAcceptQueueSize(4096);
    connections = new PerClientConnectionLimit(o.maxConnectionsPerClient(), settings::isTrustedProxy);
    connector.addBean(connections);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.setVirtualHosts(List.of("@public"));
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, settings)), "/*");
    if (signIn != null) {
      ctx.addServlet(new ServletHolder(signIn.servlet()), "/auth/*");
    }
    JsonErrorHandler errors = new JsonErrorHandler();
    ctx.setErrorHandler(errors);
    server.setErrorHandler(errors);
    // on stop (SIGTERM): stop accepting, let requests in flight finish within the grace period, then close
    InFlight graceful = new InFlight(ctx);
    this.inFlight = graceful;
    this.grace = o.shutdownGrace();
    Handler threads = chain(settings, o, graceful);
    Handler.Sequence handlers = new Handler.Sequence();
    if (m != null) {
      m.bindJetty(pool, connector, connections);
      ServerConnector management = new ServerConnector(server, new HttpConnectionFactory(http));
      management.setName("management");
      management.setHost(o.metricsBind());
      management.setPort(o.metricsPort().getAsInt());
      server.addConnector(management);
      this.management = management;
      handlers.addHandler(new MetricsEndpoint(m)); // first: it declines every request but the management port's
    } else {
      this.management = null;
    }
    // before the public chain: it answers only the warm-up's own loopback connector, through the same kinds of
    // handlers as public requests (instances of their own)
    this.warmup = o.warmup() ? Warmup.install(server, http, handlers,
        (ws, c) -> chain(ws, o, new InFlight(c)), warmupBudget) : null;
    handlers.addHandler(threads);
    server.setHandler(handlers);
    requestLog = o.requestLog() ? new RequestLogger(System.out) : null;
    if (requestLog != null && m != null) {
      m.bindRequestLog(requestLog);
    }
    server.setRequestLog((request, response) -> {
      if (Warmup.CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())) {
        return; // the warm-up's own requests are neither logged nor counted
      }
      Warmup w = warmup;
      String path = request.getHttpURI().getPath();
      if (w != null && !path.equals("/health") && !path.equals("/ready")) {
        w.stop(); // real traffic has arrived (not a probe): the warm-up only uses time the server would spend idle
      }
      if (m != null) {
        m.request(request.getMethod(), request.getHttpURI().getPath(), response.getStatus(),
            System.nanoTime() - request.getBeginNanoTime());
      }
      if (requestLog != null) {
        requestLog.log(request, response);
      }
    });
    server.setStopAtShutdown(false); // main() stops it on SIGTERM and exits 0
    server.setStopTimeout(0); // the grace period is spent waiting for requests in close(), before stop()
  }

  /** Who may create (issue 21), from --create-access: tokens live in the store the secrets do. */
  private static io.onetimeshare.servlet.CreatePolicy createPolicy(AccessOptions access, @Nullable RedisStore redis, ServerOptions o, io.onetimeshare.examples.server.signin.@Nullable OidcSignIn signIn) {
    if (access.anyone()) {
      return io.onetimeshare.servlet.CreatePolicy.anyone();
    }
    if (access.nobody()) {
      return io.onetimeshare.servlet.CreatePolicy.nobody();
    }
    java.util.List<io.onetimeshare.servlet.CreatePolicy> ways = new java.util.ArrayList<>();
    if (access.tokens()) {
      io.onetimeshare.spi.TokenStore store = redis != null ? io.onetimeshare.redis.RedisTokenStore.create(redis, "ots")
          : io.onetimeshare.file.FileTokenStore.in(o.dataDir());
      ways.add(io.onetimeshare.servlet.CreatePolicy.apiTokens(io.onetimeshare.ApiTokens.on(store)));
    }
    if (signIn != null) {
      ways.add(signIn.policy());
    }
    return ways.size() == 1 ? ways.get(0)
        : io.onetimeshare.servlet.CreatePolicy.either(ways.toArray(io.onetimeshare.servlet.CreatePolicy[]::new));
  }

  /**
   * Each seed of {@code uri} with the password from the first line of {@code file} (issue 19, finding 13: Compose
   * passes it as a secret file, never in the environment or on a command line). The password is never in a message.
   */
  static String withPassword(String uri, java.nio.file.Path file) {
    String encoded = java.net.URLEncoder.encode(firstLine(file, "--redis-password-file"),
        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    if (uri.startsWith("redis-sentinel://") || uri.startsWith("rediss-sentinel://")) {
      // one URI for every Sentinel; its password is the data nodes' (the Sentinels' own has a file of its own)
      int scheme = uri.indexOf("://");
      String rest = uri.substring(scheme + 3);
      if (rest.substring(0, rest.contains("/") ? rest.indexOf('/') : rest.length()).contains("@")) {
        throw new ServerOptions.BadOption("--redis-password-file: --redis-uri must then carry no password of its own.");
      }
      return uri.substring(0, scheme + 3) + ":" + encoded + "@" + rest;
    }
    StringBuilder out = new StringBuilder();
    for (String seed : uri.split(",")) {
      String s = seed.trim();
      int scheme = s.indexOf("://");
      if (scheme < 0 || s.substring(scheme + 3).contains("@")) {
        throw new ServerOptions.BadOption("--redis-password-file: --redis-uri must then carry no password of its own.");
      }
      out.append(out.length() == 0 ? "" : ",").append(s, 0, scheme + 3).append(':').append(encoded).append('@')
          .append(s.substring(scheme + 3));
    }
    return out.toString();
  }

  /**
   * The store the options name: a single node, a primary named by Sentinels, or a Cluster, with the passwords from
   * their files and the replica acknowledgement of {@code --redis-replicas} (issue 35). A policy the topology cannot
   * meet is refused here, with the reason, before the server takes a request.
   */
  static RedisStore connectRedis(ServerOptions o) {
    String uri = o.redisUri().orElseThrow();
    if (o.redisPasswordFile().isPresent()) {
      uri = withPassword(uri, o.redisPasswordFile().get());
    }
    char[] sentinelPassword = o.redisReplication().sentinelPasswordFile()
        .map(f -> firstLine(f, "--redis-sentinel-password-file").toCharArray()).orElse(null);
    io.onetimeshare.redis.ReplicaAck ack = o.redisReplication().ack();
    try {
      RedisStore store = !uri.contains("-sentinel://") && uri.contains(",")
          ? RedisStore.connectCluster(java.util.List.of(uri.split(",")), RedisStore.DEFAULT_TIMEOUT, ack)
          : RedisStore.connect(uri, RedisStore.DEFAULT_TIMEOUT, ack, sentinelPassword);
      System.out.println("OneTimeShare Redis: " + store.describe());
      return store;
    } catch (io.onetimeshare.InvalidArgumentException e) {
      throw new ServerOptions.BadOption("--redis-uri / --redis-replicas: " + e.getMessage());
    } finally {
      if (sentinelPassword != null) {
        java.util.Arrays.fill(sentinelPassword, '\0');
      }
    }
  }

  /** The first line of a secret file, stripped; never in a message. */
  private static String firstLine(java.nio.file.Path file, String option) {
    String password;
    try {
      password = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8).stream()
          .findFirst().orElse("").strip();
    } catch (java.io.IOException | RuntimeException e) {
      throw new ServerOptions.BadOption(option + ": cannot read " + file + ".");
    }
    if (password.isEmpty()) {
      throw new ServerOptions.BadOption(option + ": " + file + " is empty.");
    }
    return password;
  }

  /** On Java 21+, Jetty runs requests on virtual threads; on 17 this returns null. */
  private static Executor virtualThreads() {
    try {
      return (Executor) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
          .invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  public static StandaloneServer start(ServerOptions o) throws Exception {
    return start(o, Warmup.BUDGET);
  }

  /** With a warm-up of another length than the 10 s {@code /ready} waits for: the AOT cache's training run. */
  static StandaloneServer start(ServerOptions o, Duration warmupBudget) throws Exception {
    StandaloneServer s = new StandaloneServer(o, warmupBudget);
    s.server.start();
    if (s.notifier != null) {
      s.notifier.start();
    }
    if (s.warmup != null) {
      s.warmupThread = s.warmup.start(() -> s.warm.set(true));
    } else {
      s.warm.set(true);
    }
    return s;
  }

  /** Waits for the start-up warm-up to end (tests and benchmarks that want a warm server). */
  public void awaitWarm() throws InterruptedException {
    if (warmupThread != null) {
      warmupThread.join();
    }
  }

  /** Rounds of the start-up warm-up completed so far (0 with --warmup off). */
  int warmupRounds() {
    Warmup w = warmup;
    return w == null ? 0 : w.rounds();
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The management port serving {@code /metrics}, or -1 when metrics are off. */
  public int metricsPort() {
    return management == null ? -1 : management.getLocalPort();
  }

  /** The vault the server stores secrets in (tests look inside it). */
  public SecretVault vault() {
    return vault;
  }

  public OneTimeShare ots() {
    return ots;
  }

  @Override
  public void close() throws Exception {
    if (warmup != null) {
      warmup.stop();
    }
    // graceful: no new connections, requests in flight get the grace period, then everything is closed
    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setAccepting(false);
      }
    }
    inFlight.awaitIdle(grace);
    server.stop();
    if (notifier != null) {
      notifier.close(); // deliveries under way finish or are taken again by another instance after their lease
    }
    ots.close();
    if (redis != null) {
      redis.close();
    }
    if (requestLog != null) {
      requestLog.close();
    }
  }

  public static void main(String[] args) {
    // one logging path: java.util.logging too goes to SLF4J (System.Logger does through slf4j-jdk-platform-logging)
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    if (args.length > 0 && args[0].equals("tokens")) {
      System.exit(TokenCommand.run(args, System.getenv(), System.out, System.err));
      return;
    }
    ServerOptions o;
    try {
      o = ServerOptions.parse(args, System.getenv());
    } catch (ServerOptions.BadOption e) {
      if (!e.getMessage().equals("help")) {
        System.err.println("onetimeshare-server: " + e.getMessage());
      }
      System.err.print(ServerOptions.USAGE);
      System.exit(e.getMessage().equals("help") ? 0 : 2);
      return;
    }
    try {
      StandaloneServer s = start(o);
      String host = o.bind().equals("0.0.0.0") ? "127.0.0.1" : o.bind();
      System.out.println("OneTimeShare listening on http://" + host + ":" + s.port() + "/ (storage: " + o.storage()
          + (o.bodies().kind().equals("s3") ? ", bodies: " + o.bodies().describe() : "")
          + ")" + (s.metricsPort() < 0 ? "" : "; metrics on http://" + o.metricsBind() + ":" + s.metricsPort()
          + "/metrics"));
      // SIGTERM (docker stop) and SIGINT run the shutdown hooks: stop accepting, let requests in flight finish within
      // the grace period, then exit 0 (halt from a hook sets the status; the JVM's default would be 143)
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          s.close();
          System.out.println("OneTimeShare stopped");
        } catch (Exception e) {
          System.err.println("onetimeshare-server: shutdown: " + e.getMessage());
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
      }, "ots-shutdown"));
      s.server.join();
    } catch (ServerOptions.BadOption e) {
      System.err.println("onetimeshare-server: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("onetimeshare-server: could not start: " + e.getMessage());
      System.exit(1);
    }
  }
}
