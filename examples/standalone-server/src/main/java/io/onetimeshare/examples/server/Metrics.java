package io.onetimeshare.examples.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.onetimeshare.SecretKind;
import io.onetimeshare.spi.ShareEvents;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's metrics in Prometheus text format: the core's {@link ShareEvents} as counters and timers, HTTP
 * requests by fixed route template, method and status (a client can never create a new label value), JVM, Jetty
 * thread pool and connections. Served on the management connector only ({@code --metrics-port}).
 */
final class Metrics implements ShareEvents {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter createdText;
  private final Counter createdFile;
  private final DistributionSummary createdBytes;
  private final Counter openedText;
  private final Counter openedFile;
  private final Counter deleted;
  private final Counter burned;
  private final Counter expired;
  private final Counter wrongKey;
  private final Counter wrongPassphrase;
  private final Timer kdfWait;
  private final DistributionSummary kdfQueue;
  private final Counter kdfRejected;
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> httpTimers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> rateLimited =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> notifyAttempts =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> vaultTimers =
      new java.util.concurrent.ConcurrentHashMap<>();

  Metrics() {
    // one counter, an event label: "<name>_created" is a reserved series suffix in OpenMetrics
    createdText = secrets("stored", "text");
    createdFile = secrets("stored", "file");
    createdBytes = DistributionSummary.builder("ots.secret.size").baseUnit("bytes").register(registry);
    openedText = secrets("opened", "text");
    openedFile = secrets("opened", "file");
    deleted = secrets("deleted", "any");
    burned = secrets("burned", "any");
    expired = secrets("expired", "any");
    wrongKey = Counter.builder("ots.wrong.credentials").tag("credential", "key").register(registry);
    wrongPassphrase = Counter.builder("ots.wrong.credentials").tag("credential", "passphrase").register(registry);
    kdfWait = Timer.builder("ots.kdf.wait").description("Argon2id: wait for a slot").register(registry);
    kdfQueue = DistributionSummary.builder("ots.kdf.queue.depth").description("waiting when a derivation arrived")
        .register(registry);
    kdfRejected = Counter.builder("ots.kdf.rejected").description("refused: queue full or wait too long")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter secrets(String event, String kind) {
    return Counter.builder("ots.secrets").tag("event", event).tag("kind", kind)
        .description("stored, opened, deleted, burned (wrong passphrases), expired (memory and file storage)")
        .register(registry);
  }

  /** Jetty's request thread pool and the public connector's open connections. */
  void bindJetty(QueuedThreadPool pool, ServerConnector connector, PerClientConnectionLimit limit) {
    Gauge.builder("jetty.threads", pool, QueuedThreadPool::getThreads).register(registry);
    Gauge.builder("jetty.threads.busy", pool, QueuedThreadPool::getBusyThreads).register(registry);
    Gauge.builder("jetty.threads.max", pool, QueuedThreadPool::getMaxThreads).register(registry);
    Gauge.builder("jetty.queue.size", pool, QueuedThreadPool::getQueueSize).register(registry);
    Gauge.builder("jetty.connections.open", connector, c -> c.getConnectedEndPoints().size()).register(registry);
    Gauge.builder("ots.connections.refused", limit, PerClientConnectionLimit::refused)
        .description("closed at once: the peer was over --max-connections-per-client").register(registry);
  }

  /** One webhook attempt (issue 22): by endpoint name (the operator's, a short list) or {@code callback}. */
  void notifyAttempt(String target, io.onetimeshare.spi.EventType type,
      io.onetimeshare.servlet.notify.Notifier.Outcome outcome, Duration took) {
    String event = io.onetimeshare.spi.Delivery.eventName(type, target);
    String key = target + "|" + event + "|" + outcome;
    notifyAttempts.computeIfAbsent(key, k -> Counter.builder("ots.notify.attempts").tag("target", target)
        .tag("event", event).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .description("webhook attempts: delivered, failed (tried again), dropped (after the last), refused")
        .register(registry)).increment();
  }

  /** The notifications waiting and the age of the oldest (refreshed every few seconds by the notifier). */
  void bindNotifier(io.onetimeshare.servlet.notify.Notifier n) {
    Gauge.builder("ots.notify.waiting", n, x -> x.backlog().waiting())
        .description("webhook deliveries not yet acknowledged").register(registry);
    Gauge.builder("ots.notify.oldest.seconds", n, x -> x.backlog().oldestAge(java.time.Instant.now())
        .map(d -> d.toMillis() / 1000.0).orElse(0.0))
        .description("age of the oldest waiting webhook event").register(registry);
  }

  /** Lines the request log dropped because its queue was full (the terminal could not keep up). */
  void bindRequestLog(RequestLogger log) {
    Gauge.builder("ots.request.log.dropped", log, RequestLogger::dropped).register(registry);
  }

  /** One HTTP request, by its route template (never the raw path: ids must not become label values). */
  void request(String method, String path, int status, long nanos) {
    String route = route(path);
    String m = METHODS.contains(method) ? method : "OTHER";
    // the label values are bounded (9 routes x 8 methods x statuses), so the meters are cached by them: no builder,
    // tag list or registry lookup per request
    httpTimers.computeIfAbsent(route + ' ' + m + ' ' + status, k -> Timer.builder("ots.http.requests")
        .tag("route", route).tag("method", m).tag("status", Integer.toString(status)).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (status == 429) {
      rateLimited.computeIfAbsent(route, r -> Counter.builder("ots.rate.limited").tag("route", r)
          .register(registry)).increment();
    }
  }

  static String route(String path) {
    if (path.equals("/") || path.isEmpty()) {
      return "/";
    }
    if (path.equals("/health") || path.equals("/ready") || path.equals("/api/secrets")) {
      return path;
    }
    if (path.startsWith("/assets/")) {
      return "/assets/{file}";
    }
    if (path.startsWith("/s/")) {
      return "/s/{id}";
    }
    if (path.startsWith("/api/secrets/")) {
      return path.endsWith("/open") ? "/api/secrets/{id}/open" : "/api/secrets/{id}";
    }
    return "other";
  }

  String scrape() {
    return registry.scrape();
  }

  // ---- ShareEvents ----

  @Override
  public void created(SecretKind kind, long bytes) {
    (kind == SecretKind.TEXT ? createdText : createdFile).increment();
    createdBytes.record((double) bytes);
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Counter> creators =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Creations per creator (issue 21), with bounded label values: a token by its name (the operator makes them, a few
   * hundred at most are counted by name), everyone else by kind only ({@code user}, {@code principal}, {@code
   * anonymous}): people's names would make a series each.
   */
  @Override
  public void createdBy(io.onetimeshare.spi.Creation c) {
    String label = c.creator().startsWith("token:") && creators.size() < 500 ? c.creator()
        : c.creator().contains(":") ? c.creator().substring(0, c.creator().indexOf(':')) : c.creator();
    creators.computeIfAbsent(label, l -> Counter.builder("ots.creations").tag("creator", l)
        .description("secrets and uploads created, by creator").register(registry)).increment();
  }

  @Override
  public void opened(SecretKind kind) {
    (kind == SecretKind.TEXT ? openedText : openedFile).increment();
  }

  @Override
  public void deleted() {
    deleted.increment();
  }

  @Override
  public void burned() {
    burned.increment();
  }

  @Override
  public void expired(long count) {
    expired.increment((double) count);
  }

  @Override
  public void wrongCredential(boolean passphrase) {
    (passphrase ? wrongPassphrase : wrongKey).increment();
  }

  @Override
  public void kdfAdmitted(Duration waited, int queued) {
    kdfWait.record(waited);
    kdfQueue.record(queued);
  }

  @Override
  public void kdfRejected() {
    kdfRejected.increment();
  }

  @Override
  public void vaultCall(String operation, Duration took, boolean failed) {
    vaultTimers.computeIfAbsent(operation + (failed ? " error" : " ok"), k -> Timer.builder("ots.vault.calls")
        .tag("operation", operation.toLowerCase(Locale.ROOT)).tag("outcome", failed ? "error" : "ok")
        .register(registry)).record(took);
  }
}
