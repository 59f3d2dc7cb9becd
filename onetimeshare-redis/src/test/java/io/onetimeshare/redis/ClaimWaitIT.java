package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.SecretVault.ClaimOutcome;
import io.onetimeshare.spi.SecretVault.ClaimedSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An opener that finds a secret held by another instance's claim is woken when that claim ends (release, purge),
 * on a single node and on a Cluster where the two instances talk to different nodes. The stores' timeout is long
 * (20 s), so an opener that slept until its deadline instead of being woken fails the "well before" assertions.
 */
class ClaimWaitIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static RedisProcess single;
  private static RedisStore singleHolder;
  private static RedisStore singleWaiter;
  private static TestCluster cluster;
  private static RedisStore clusterHolder;
  private static RedisStore clusterWaiter;

  @BeforeAll
  static void start() throws Exception {
    single = RedisProcess.start("--appendonly", "no");
    singleHolder = RedisStore.connect(single.uri(), TIMEOUT);
    singleWaiter = RedisStore.connect(single.uri(), TIMEOUT);
    cluster = new TestCluster();
    List<String> seeds = cluster.nodes.stream().map(RedisProcess::uri).toList();
    clusterHolder = RedisStore.connectCluster(seeds, TIMEOUT);
    clusterWaiter = RedisStore.connectCluster(List.of(seeds.get(1)), TIMEOUT); // another seed: another instance
  }

  @AfterAll
  static void stop() throws Exception {
    singleWaiter.close();
    singleHolder.close();
    single.close();
    clusterWaiter.close();
    clusterHolder.close();
    cluster.close();
  }

  private static RedisStore holderStore(String topology) {
    return topology.equals("single") ? singleHolder : clusterHolder;
  }

  private static RedisStore waiterStore(String topology) {
    return topology.equals("single") ? singleWaiter : clusterWaiter;
  }

  /** Two vault instances on one key prefix, each on its own store (another client, another node on a Cluster). */
  private record Instances(String topology, String prefix, SecretVault holder, SecretVault waiter) {
    static Instances of(String topology) {
      String prefix = "w" + UUID.randomUUID().toString().substring(0, 8);
      return new Instances(topology, prefix, RedisSecretVault.builder(holderStore(topology)).prefix(prefix).build(),
          RedisSecretVault.builder(waiterStore(topology)).prefix(prefix).build());
    }
  }

  /** How many connections are subscribed to {@code channel}, summed over the nodes. */
  private static long subscribers(String topology, String channel) throws java.io.IOException {
    long n = 0;
    for (RedisProcess p : topology.equals("single") ? List.of(single) : cluster.nodes) {
      String reply = p.command("PUBSUB NUMSUB " + channel).trim();
      n += Long.parseLong(reply.substring(reply.lastIndexOf(':') + 1).trim());
    }
    return n;
  }

  private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Runs the holder's claim on another thread; its predicate returns only once the waiter is subscribed and has
   * been turned away again after that (its claim re-marked the head), so the waiter learns of the end of this claim
   * from the signal its end publishes.
   */
  private static Future<ClaimOutcome> holdUntilWaitedFor(ExecutorService ex, Instances two, String id,
      boolean accept, CountDownLatch holding) {
    String topology = two.topology();
    RedisStore store = holderStore(topology);
    byte[] head = new KeyLayout(two.prefix()).head(id);
    byte[] mark = "w".getBytes(StandardCharsets.US_ASCII);
    String channel = new String(new KeyLayout(two.prefix()).claimChannel(id), StandardCharsets.UTF_8);
    return ex.submit(() -> two.holder().claimIf(id, r -> {
      holding.countDown();
      try {
        waitFor("the waiter subscribed", () -> subscribers(topology, channel) > 0);
        var unused = store.api().call(c -> c.hdel(head, mark));
        // a spurious wake: wherever the waiter is, it claims once more, and that claim marks the head again
        var alsoUnused = store.api().call(c -> c.publish(channel.getBytes(StandardCharsets.UTF_8), mark));
        waitFor("the waiter claimed again after subscribing", () -> store.api().call(c -> c.hget(head, mark)) != null);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return accept;
    }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void aWaitingOpenerGetsTheSecretAsSoonAsTheHolderGivesItBack(String topology) throws Exception {
    Instances two = Instances.of(topology);
    SecretVault holder = two.holder();
    SecretVault waiter = two.waiter();
    String id = RedisFaultIT.id();
    byte[] body = "kept for the waiter".getBytes(StandardCharsets.UTF_8);
    holder.put(RedisFaultIT.record(id, Duration.ofHours(1)), out -> out.write(body));
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch holding = new CountDownLatch(1);
      Future<ClaimOutcome> held = holdUntilWaitedFor(ex, two, id, false, holding);
      assertTrue(holding.await(15, TimeUnit.SECONDS));
      long t0 = System.nanoTime();
      Optional<ClaimedSecret> got = waiter.claim(id);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(held.get(15, TimeUnit.SECONDS).rejected(), "the holder turned it down");
      assertTrue(got.isPresent(), "given back, so the waiter gets it");
      try (ClaimedSecret c = got.get()) {
        assertArrayEquals(body, c.body().readAllBytes());
      }
      assertTrue(waitedMs < TIMEOUT.toMillis() / 4, "woken by the release, not by its deadline: " + waitedMs + " ms");
      assertTrue(holder.claim(id).isEmpty(), "and then it is gone");
    } finally {
      ex.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"single", "cluster"})
  void aWaitingOpenerHearsNotFoundAsSoonAsTheHolderTookIt(String topology) throws Exception {
    Instances two = Instances.of(topology);
    SecretVault holder = two.holder();
    SecretVault waiter = two.waiter();
    List<String> ids = List.of(RedisFaultIT.id(), RedisFaultIT.id(), RedisFaultIT.id());
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      for (String id : ids) { // several rounds: every claim subscribes and unsubscribes its own channel
        holder.put(RedisFaultIT.record(id, Duration.ofHours(1)), out -> out.write(new byte[10]));
        CountDownLatch holding = new CountDownLatch(1);
        Future<ClaimOutcome> held = holdUntilWaitedFor(ex, two, id, true, holding);
        assertTrue(holding.await(15, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        Optional<ClaimedSecret> got = waiter.claim(id);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        ClaimOutcome outcome = held.get(15, TimeUnit.SECONDS);
        assertTrue(outcome.claimed() != null, "the holder took it");
        outcome.claimed().close();
        assertTrue(got.isEmpty(), "delivered once: the waiter hears not found");
        assertTrue(waitedMs < TIMEOUT.toMillis() / 4, "woken by the purge, not by its deadline: " + waitedMs + " ms");
      }
    } finally {
      ex.shutdownNow();
    }
  }
}
