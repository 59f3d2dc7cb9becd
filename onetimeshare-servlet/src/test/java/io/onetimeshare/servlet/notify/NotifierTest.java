package io.onetimeshare.servlet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onetimeshare.Credential;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.spi.EventType;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22: the deliverer against a real receiver on loopback (allowed by the test's address policy). */
class NotifierTest {
  private static final String OPS_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
      31, 32});
  private static final List<Duration> QUICK = List.of(Duration.ofMillis(100), Duration.ofMillis(100),
      Duration.ofMillis(100));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Receiver receiver;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());

  NotifierTest() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    receiver.close();
  }

  private static AddressPolicy.Builder loopback() {
    return AddressPolicy.builder().allowHttp(true).allowRange("127.0.0.0/8").allowAnyPort(true);
  }

  /** A service notifying endpoints {@code names} (each at /name, all events) through a running notifier. */
  private OneTimeShare service(AddressPolicy policy, String... names) {
    List<io.onetimeshare.spi.NotifyTarget> targets = new ArrayList<>();
    List<WebhookEndpoint> endpoints = new ArrayList<>();
    for (String n : names) {
      WebhookEndpoint e = WebhookEndpoint.of(n, receiver.url("/" + n), OPS_SECRET, EnumSet.allOf(EventType.class));
      endpoints.add(e);
      targets.add(e.target());
    }
    OneTimeShare ots = OneTimeShare.builder().notifyEndpoints(targets).build();
    Notifier.Builder nb = Notifier.builder(ots.outbox().orElseThrow()).policy(policy).schedule(QUICK)
        .pollInterval(Duration.ofMillis(50)).attemptTimeout(Duration.ofSeconds(1))
        .listener((t, type, o, took) -> outcomes.add(t + " " + type.wireName() + " " + o));
    endpoints.forEach(nb::endpoint);
    Notifier n = nb.build().start();
    closing.add(n);
    return ots;
  }

  @Test
  void everyEventArrivesSignedWithWhatTheSenderKnowsAndNothingMore() throws Exception {
    OneTimeShare ots = service(loopback().build(), "ops");
    ShareReceipt r = ots.share("the secret", ShareOptions.builder().notify(receiver.url("/cb?for=me")).build());
    String cbSecret = r.notifySecret();
    assertTrue(cbSecret != null && cbSecret.startsWith("whsec_"));
    assertEquals("the secret", new String(ots.open(r.id(), Credential.key(r.key())).content(),
        java.nio.charset.StandardCharsets.UTF_8));
    List<Receiver.Hit> cb = receiver.await("/cb?for=me", 1, 10);
    List<Receiver.Hit> ops = receiver.await("/ops", 2, 10);
    assertEquals(1, cb.size());
    Receiver.Hit hit = cb.get(0);
    assertTrue(hit.signedWith(cbSecret), "verified by the receiver's own HMAC");
    assertFalse(hit.signedWith(OPS_SECRET), "each target has its own secret");
    assertTrue(Math.abs(hit.receivedAtSeconds() - Long.parseLong(hit.header("webhook-timestamp"))) <= 5);
    JsonNode body = JSON.readTree(hit.body());
    assertEquals("secret.opened", body.get("type").asText());
    assertEquals(r.id(), body.get("data").get("id").asText());
    assertEquals(hit.header("webhook-id"), body.get("data").get("event").asText());
    assertEquals(r.expiresAt().toString(), java.time.Instant.parse(body.get("data").get("expiresAt").asText())
        .toString());
    assertEquals(Set.of("type", "timestamp", "data"), fields(body), "nothing but the event");
    assertEquals(Set.of("id", "event", "expiresAt"), fields(body.get("data")));
    assertFalse(hit.text().contains(r.key()), "never the key");
    assertFalse(hit.text().contains(r.deleteToken()), "never the deletion token");
    assertEquals(List.of("secret.created", "secret.opened"), ops.stream().map(h -> type(h)).sorted().toList());
    for (Receiver.Hit h : ops) {
      assertTrue(h.signedWith(OPS_SECRET));
      assertEquals("application/json", h.header("content-type"));
    }
  }

  @Test
  void theDocumentedPythonVerificationAcceptsADeliveryAndRefusesForgeries() throws Exception {
    OneTimeShare ots = service(loopback().build());
    ShareReceipt r = ots.share("x", ShareOptions.builder().notify(receiver.url("/py")).build());
    ots.delete(r.id(), r.deleteToken());
    assertDocsVerifierAccepts(receiver.await("/py", 1, 10).get(0), r.notifySecret());
  }

  private static Set<String> fields(JsonNode n) {
    Set<String> s = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static String type(Receiver.Hit h) {
    try {
      return JSON.readTree(h.body()).get("type").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The verification docs/http-api.md shows (docs/examples/verify_webhook.py) accepts it, and refuses a forgery. */
  private static void assertDocsVerifierAccepts(Receiver.Hit hit, String secret) throws Exception {
    Path script = Path.of("..", "docs", "examples", "verify_webhook.py").toAbsolutePath().normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(script) && python() != null, "python3 is missing");
    Path dir = Files.createTempDirectory("hook");
    Path headers = dir.resolve("headers");
    Path body = dir.resolve("body");
    Files.writeString(headers, "webhook-id: " + hit.header("webhook-id") + "\nwebhook-timestamp: "
        + hit.header("webhook-timestamp") + "\nwebhook-signature: " + hit.header("webhook-signature") + "\n");
    Files.write(body, hit.body());
    assertEquals(0, run(script, secret, headers, body), "the documented verification accepts it");
    byte[] forged = hit.text().replace("\"type\":\"secret.", "\"type\":\"secret.x").getBytes(
        java.nio.charset.StandardCharsets.UTF_8);
    Files.write(body, forged);
    assertEquals(1, run(script, secret, headers, body), "and refuses a changed body");
    Files.write(body, hit.body());
    long late = Long.parseLong(hit.header("webhook-timestamp")) + 301;
    assertEquals(1, run(script, secret, headers, body, Long.toString(late)), "and a replay after 5 minutes");
  }

  private static String python() {
    for (String p : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  private static int run(Path script, String secret, Path headers, Path body, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString(), secret, headers.toString(),
        body.toString()));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  void aFailedDeliveryComesAgainWithTheSameIdThenIsDroppedAfterItsLastAttempt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    receiver.answer("/flaky", h -> calls.incrementAndGet() <= 2 ? 503 : 204);
    receiver.answer("/down", h -> 500);
    OneTimeShare ots = service(loopback().build(), "flaky", "down");
    ShareReceipt r = ots.share("x");
    List<Receiver.Hit> flaky = receiver.await("/flaky", 3, 10);
    assertEquals(3, flaky.size());
    assertEquals(1, flaky.stream().map(h -> h.header("webhook-id")).distinct().count(), "one id on every attempt");
    assertEquals(1, flaky.stream().map(Receiver.Hit::text).distinct().count(), "one body on every attempt");
    List<Receiver.Hit> down = receiver.await("/down", 4, 10);
    waitFor(() -> outcomes.contains("down secret.created DROPPED"));
    Thread.sleep(500);
    assertEquals(4, receiver.hits("/down").size(), "the first attempt and one per wait, then no more");
    assertTrue(outcomes.contains("flaky secret.created DELIVERED"), outcomes.toString());
    assertEquals(0, ots.outbox().orElseThrow().backlog().waiting(), "nothing left");
    assertEquals(r.id(), JSON.readTree(down.get(0).body()).get("data").get("id").asText());
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    receiver.answer("/moved", h -> 302);
    OneTimeShare ots = service(loopback().build(), "moved");
    ots.share("x");
    receiver.await("/moved", 4, 10);
    waitFor(() -> outcomes.contains("moved secret.created DROPPED"));
    assertEquals(List.of(), receiver.hits("/stolen"), "the Location was never called");
  }

  @Test
  void aStuckReceiverDoesNotDelayTheOthers() throws Exception {
    receiver.answer("/stuck", h -> {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    });
    OneTimeShare ots = service(loopback().build(), "stuck", "fast");
    long start = System.nanoTime();
    for (int i = 0; i < 8; i++) {
      ots.share("secret " + i);
    }
    assertEquals(8, receiver.await("/fast", 8, 15).size());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
        "8 events reached the healthy receiver while the stuck one held its share of the workers");
  }

  @Test
  void aNameThatTurnsPrivateBetweenCreateAndDeliveryIsRefusedWithoutAConnection() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // the first answer (at create) is the test's allowed loopback receiver, every later one cloud metadata
    AddressPolicy policy = loopback().resolver(h -> new InetAddress[] {InetAddress.getByName(
        lookups.incrementAndGet() == 1 ? "127.0.0.1" : "169.254.169.254")}).build();
    OneTimeShare ots = service(policy);
    String url = "http://rebind.test:" + receiver.url("/").split(":")[2].replace("/", "") + "/cb";
    policy.checkUrl(url); // what the servlet does at create
    ShareReceipt r = ots.share("x", ShareOptions.builder().notify(url).build());
    ots.delete(r.id(), r.deleteToken());
    waitFor(() -> outcomes.contains("callback secret.deleted REFUSED"));
    assertEquals(List.of(), receiver.hits("/cb"), "no request reached any address");
    assertEquals(2, lookups.get(), "one lookup at create, one for the attempt: the connection needs no other");
  }

  @Test
  void tlsCertificatesAreVerifiedForTheUrlsHost(@TempDir Path dir) throws Exception {
    try (TlsReceiver tls = TlsReceiver.start(dir)) {
      AddressPolicy policy = AddressPolicy.builder().allowRange("127.0.0.0/8").allowAnyPort(true)
          .resolver(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}).build();
      OneTimeShare ots = OneTimeShare.builder().build();
      try (Notifier jvmTrust = notifier(ots, policy, null)) { // the JVM's trust store knows no test certificate
        ShareReceipt a = ots.share("x", ShareOptions.builder().notify(tls.url("localhost")).build());
        ots.delete(a.id(), a.deleteToken());
        waitFor(() -> outcomes.contains("callback secret.deleted DROPPED"));
        assertEquals(0, tls.hits(), "an untrusted certificate gets nothing");
      }
      outcomes.clear();
      try (Notifier trusting = notifier(ots, policy, tls.clientFactory())) {
        ShareReceipt wrongName = ots.share("x", ShareOptions.builder().notify(tls.url("127.0.0.1")).build());
        ots.delete(wrongName.id(), wrongName.deleteToken());
        waitFor(() -> outcomes.contains("callback secret.deleted DROPPED"));
        assertEquals(0, tls.hits(), "a certificate for localhost does not do for 127.0.0.1");
        ShareReceipt right = ots.share("x", ShareOptions.builder().notify(tls.url("localhost")).build());
        ots.delete(right.id(), right.deleteToken());
        waitFor(() -> outcomes.contains("callback secret.deleted DELIVERED"));
        assertEquals(1, tls.hits());
      }
    }
  }

  private Notifier notifier(OneTimeShare ots, AddressPolicy policy, javax.net.ssl.SSLSocketFactory tls) {
    Notifier.Builder b = Notifier.builder(ots.outbox().orElseThrow()).policy(policy).schedule(List.of())
        .pollInterval(Duration.ofMillis(50)).attemptTimeout(Duration.ofSeconds(2))
        .listener((t, type, o, took) -> outcomes.add(t + " " + type.wireName() + " " + o));
    if (tls != null) {
      b.tls(tls);
    }
    return b.build().start();
  }

  private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s");
      }
      Thread.sleep(20);
    }
  }
}
