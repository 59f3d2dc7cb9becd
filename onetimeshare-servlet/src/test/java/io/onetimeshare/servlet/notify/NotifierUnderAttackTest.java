package io.onetimeshare.servlet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.spi.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 36, finding 2: one sender could stall every webhook of the instance. A receiver that drips a TLS record or a
 * status line a byte at a time held an attempt for as long as it dripped (the deadline was a read timeout, restarted
 * by every byte); the workers' share was keyed on the host as the sender spelled it; and a stuck operator endpoint
 * delayed the others. Here the attackers run beside a healthy endpoint, which must keep receiving within seconds.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NotifierUnderAttackTest {
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
  private static final Duration ATTEMPT = Duration.ofSeconds(1);

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closed(T c) {
    closing.add(c);
    return c;
  }

  private static AddressPolicy loopback() {
    return AddressPolicy.builder().allowHttp(true).allowRange("127.0.0.0/8").allowAnyPort(true).build();
  }

  /** A notifier with 4 workers and 1 s attempts, one attempt per event (then dropped). */
  private Notifier notifier(OneTimeShare ots, List<WebhookEndpoint> endpoints) {
    Notifier.Builder b = Notifier.builder(ots.outbox().orElseThrow()).policy(loopback()).schedule(List.of())
        .pollInterval(Duration.ofMillis(50)).attemptTimeout(ATTEMPT).workers(4);
    endpoints.forEach(b::endpoint);
    return closed(b.build().start());
  }

  @Test
  void aReceiverThatDripsItsHandshakeOrStatusLineIsCutAtTheAttemptsDeadline() throws Exception {
    Sink tls = closed(new Sink(Sink.Mode.DRIP_TLS, 60));
    Sink status = closed(new Sink(Sink.Mode.DRIP_STATUS, 60));
    OneTimeShare ots = OneTimeShare.builder().build();
    notifier(ots, List.of());
    // a callback hears what the sender did not do: the deletion is told (here by the sender, for a quick event)
    var a = ots.share("a", ShareOptions.builder().notify("https://localhost:" + tls.port() + "/hook").build());
    var b = ots.share("b", ShareOptions.builder().notify("http://localhost:" + status.port() + "/hook").build());
    ots.delete(a.id(), a.deleteToken());
    ots.delete(b.id(), b.deleteToken());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((tls.connections().isEmpty() || status.connections().isEmpty()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (Sink s : List.of(tls, status)) {
      assertEquals(1, s.connections().size(), "the attempt ended (before the fix it lasted as long as the drip)");
      long ms = s.connections().get(0).millis();
      // the deadline is 1 s from the attempt's start; what the bound allows beyond it is the watchdog's wake-up
      assertTrue(ms < ATTEMPT.toMillis() + 2000, "the connection was closed at the attempt's deadline: " + ms + " ms");
    }
  }

  @Test
  void callbacksInAnySpellingAndAStuckEndpointNeverDelayAHealthyEndpoint() throws Exception {
    Receiver healthy = closed(new Receiver());
    Sink stuck = closed(new Sink(Sink.Mode.SILENT, 90));
    Sink drip = closed(new Sink(Sink.Mode.DRIP_TLS, 90));
    Sink silent = closed(new Sink(Sink.Mode.SILENT, 90));
    WebhookEndpoint ops = WebhookEndpoint.of("ops", healthy.url("/ops"), SECRET, EnumSet.of(EventType.CREATED));
    WebhookEndpoint dead = WebhookEndpoint.of("stuck", "http://127.0.0.1:" + stuck.port() + "/stuck", SECRET,
        EnumSet.of(EventType.CREATED));
    OneTimeShare ots = OneTimeShare.builder().notifyEndpoints(List.of(ops.target(), dead.target())).build();
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    java.util.regex.Pattern idOf = java.util.regex.Pattern.compile("\"data\":\\{\"id\":\"([A-Za-z0-9_-]+)\"");
    healthy.answer("/ops", h -> {
      java.util.regex.Matcher m = idOf.matcher(new String(h.body(), java.nio.charset.StandardCharsets.UTF_8));
      if (m.find()) {
        arrived.putIfAbsent(m.group(1), System.nanoTime());
      }
      return 204;
    });
    Notifier notifier = notifier(ots, List.of(ops, dead));

    // the baseline, in this run on this machine: one event to the healthy endpoint with no attacker about
    long t0 = System.nanoTime();
    ots.share("baseline");
    healthy.await("/ops", 1, 30);
    long baseline = System.nanoTime() - t0;
    long bound = TimeUnit.SECONDS.toNanos(3) + 10 * baseline;

    // the attack: every secret names a callback; one host in several spellings, its address, a TLS dripper
    String[] callbacks = {"https://localhost:" + drip.port() + "/", "https://LOCALHOST:" + drip.port() + "/",
        "https://LocalHost:" + drip.port() + "/x", "https://127.0.0.1:" + drip.port() + "/",
        "http://localhost:" + silent.port() + "/", "http://LOCALHOST:" + silent.port() + "/"};
    int n = 24;
    for (int i = 0; i < n; i++) {
      long at = System.nanoTime();
      var r = ots.share("secret " + i, ShareOptions.builder().notify(callbacks[i % callbacks.length]).build());
      created.put(r.id(), at);
      ots.delete(r.id(), r.deleteToken()); // secret.deleted for the sender's callback
      Thread.sleep(100);
    }
    List<Receiver.Hit> hits = healthy.await("/ops", n + 1, 60);
    assertEquals(n + 1, hits.size(), "every event reached the healthy endpoint");
    for (Map.Entry<String, Long> e : created.entrySet()) {
      Long got = arrived.get(e.getKey());
      assertTrue(got != null, "the healthy endpoint got the event of " + e.getKey());
      {
        long took = got - e.getValue();
        assertTrue(took < bound, "an event reached the healthy endpoint " + TimeUnit.NANOSECONDS.toMillis(took)
            + " ms after its secret (bound " + TimeUnit.NANOSECONDS.toMillis(bound) + " ms, baseline "
            + TimeUnit.NANOSECONDS.toMillis(baseline) + " ms)");
      }
    }
    // the callbacks' attempts take their time (1 s each, two workers): wait for a few before judging the shares
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (drip.connections().size() + silent.connections().size() < 6 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertTrue(drip.connections().size() + silent.connections().size() >= 6, "the callbacks were attempted: "
        + drip.connections().size() + " + " + silent.connections().size());
    // the shares, from the receivers' side. A sink learns of a close late: a dripping one at its next write or two
    // (300 ms), a silent one when its thread next runs after the read returns -1, which on a busy machine can come
    // after the worker has already opened its next attempt (CI saw 3 "at once" on the stuck endpoint that way).
    // Attempts last 1 s, so a real excess share overlaps for most of a second and 300 ms of slack cannot hide it.
    // The stuck endpoint at most half the endpoints' 4 workers; the callbacks together at most their own 2, and
    // "localhost" in every spelling is one host (at most 1 of them)
    List<Sink.Connection> stuckSeen = shifted(stuck.connections(), 300);
    List<Sink.Connection> silentSeen = shifted(silent.connections(), 300);
    List<Sink.Connection> callbacksSeen = new ArrayList<>(shifted(drip.connections(), 300));
    callbacksSeen.addAll(silentSeen);
    assertTrue(maxOverlap(stuckSeen) <= 2, "the stuck endpoint held " + maxOverlap(stuckSeen) + " ("
        + maxOverlap(stuck.connections()) + " as the sink saw its closes)");
    assertTrue(maxOverlap(callbacksSeen) <= 2, "the callbacks held " + maxOverlap(callbacksSeen));
    assertTrue(maxOverlap(silentSeen) <= 1, "localhost, in any spelling, held " + maxOverlap(silentSeen));
    for (Sink.Connection c : drip.connections()) {
      assertTrue(c.millis() < ATTEMPT.toMillis() + 2000, "a dripping attempt lasted " + c.millis() + " ms");
    }
    assertPruned(notifier);
    // a delivery is never held twice at once: no webhook-id on two overlapping connections to the stuck endpoint
    List<Sink.Connection> cs = stuck.connections();
    for (int i = 0; i < cs.size(); i++) {
      for (int j = i + 1; j < cs.size(); j++) {
        Sink.Connection a = cs.get(i);
        Sink.Connection b = cs.get(j);
        boolean overlap = a.opened() < b.closed() && b.opened() < a.closed();
        assertFalse(overlap && !a.webhookId().isEmpty() && a.webhookId().equals(b.webhookId()),
            "one delivery on two connections at once: " + a.webhookId());
      }
    }
  }

  private static void assertPruned(Notifier notifier) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (notifier.receiversTracked() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, notifier.receiversTracked(), "a receiver with nothing under way is forgotten (finding 12)");
  }

  @Test
  void aFailedTlsAttemptIsLoggedWithoutTheHostTheJdkNames() {
    String why = Poster.describe(new javax.net.ssl.SSLHandshakeException(
        "No subject alternative DNS name matching db-7.internal.corp found."));
    assertFalse(why.contains("internal") || why.contains("db-7"), why);
    assertTrue(why.startsWith("TLS failed"), why);
    assertFalse(Poster.describe(new java.net.ConnectException("Connection refused: vault.corp/10.1.2.3:443"))
        .contains("10.1.2.3"));
  }

  private static List<Sink.Connection> shifted(List<Sink.Connection> cs, long lateMillis) {
    return cs.stream().map(c -> new Sink.Connection(c.opened(), Math.max(c.opened(), c.closed()
        - TimeUnit.MILLISECONDS.toNanos(lateMillis)), c.webhookId())).toList();
  }

  /** The most connections open at one moment. */
  private static int maxOverlap(List<Sink.Connection> cs) {
    int most = 0;
    for (Sink.Connection c : cs) {
      int n = 0;
      for (Sink.Connection o : cs) {
        if (o.opened() <= c.opened() && c.opened() < o.closed()) {
          n++;
        }
      }
      most = Math.max(most, n);
    }
    return most;
  }

  @Test
  void aCallbackHostIsOneReceiverWhateverItsSpelling() {
    String a = key("https://A.Evil.example:8443/x");
    assertEquals(a, key("https://a.evil.example:8443/y"));
    assertEquals(a, key("https://a.evil.example.:8443/"));
    assertFalse(a.equals(key("https://b.evil.example/")));
  }

  private static String key(String url) {
    io.onetimeshare.spi.NotifyTarget t = io.onetimeshare.spi.NotifyTarget.callback(url, new byte[32],
        EnumSet.allOf(EventType.class));
    return WorkerShares.key(new io.onetimeshare.spi.Delivery("AAAAAAAAAAAAAAAAAAAAAQ", EventType.CREATED,
        java.time.Instant.EPOCH, java.time.Instant.EPOCH, t, 0, "lease"));
  }
}
