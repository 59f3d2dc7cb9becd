package io.onetimeshare.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One shared Lettuce client and connection to Redis (a single node, with password, TLS and database from the URI,
 * or a Cluster from seed URIs), used by every {@link RedisSecretVault} and {@link RedisRateLimiter} built on it.
 * Commands fail within the timeout (default 2 s) with a store-unavailable error when Redis is down, and work again
 * on their own when it comes back. Thread-safe; close it last.
 *
 * @since 0.1
 */
public final class RedisStore implements AutoCloseable {
  /** Default timeout of every Redis call. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final ClientResources resources;
  private final AutoCloseable client;
  private final AutoCloseable connection;
  private final RedisApi api;
  private final boolean cluster;
  private final ClaimSignals signals;
  private final boolean ownsClient;

  private RedisStore(ClientResources resources, AutoCloseable client, AutoCloseable connection, RedisApi api,
      boolean cluster, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> pubSub) {
    this(resources, client, connection, api, cluster, pubSub, true);
  }

  private RedisStore(ClientResources resources, AutoCloseable client, AutoCloseable connection, RedisApi api,
      boolean cluster, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> pubSub, boolean ownsClient) {
    this.ownsClient = ownsClient;
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.api = api;
    this.cluster = cluster;
    this.signals = new ClaimSignals(pubSub); // connects on the first contended claim only
  }

  /**
   * A store on a Lettuce client the host application already has (Spring Data Redis's, for one): one connection of
   * our own (and a pub/sub one on the first contended claim) on the client's event loops and resources, so no second
   * pool and no second set of threads. Closing the store closes only its own connections; the client, its options
   * (reconnects, TLS, credentials) and its resources stay the host's.
   *
   * @since 0.3
   */
  public static RedisStore using(io.lettuce.core.AbstractRedisClient client, Duration timeout) {
    java.util.Objects.requireNonNull(client, "client");
    try {
      if (client instanceof RedisClusterClient cc) {
        StatefulRedisClusterConnection<byte[], byte[]> c = cc.connect(ByteArrayCodec.INSTANCE);
        return new RedisStore(cc.getResources(), () -> { }, c, new RedisApi(c.async(), timeout), true,
            () -> cc.connectPubSub(ByteArrayCodec.INSTANCE), false);
      }
      RedisClient rc = (RedisClient) client;
      StatefulRedisConnection<byte[], byte[]> c = rc.connect(ByteArrayCodec.INSTANCE);
      return new RedisStore(rc.getResources(), () -> { }, c, new RedisApi(c.async(), timeout), false,
          () -> rc.connectPubSub(ByteArrayCodec.INSTANCE), false);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("Cannot connect to Redis through the application's client.", e);
    }
  }

  /** Connects to one Redis node: {@code redis://[:password@]host:port[/db]} or {@code rediss://} for TLS. */
  public static RedisStore connect(String uri) {
    return connect(uri, DEFAULT_TIMEOUT);
  }

  public static RedisStore connect(String uri, Duration timeout) {
    RedisURI u = parse(uri);
    u.setTimeout(timeout);
    ClientResources res = resources();
    RedisClient client = RedisClient.create(res, u);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    try {
      StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      return new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), false,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      client.shutdown();
      var unused = res.shutdown();
      throw new StoreUnavailableException("Cannot connect to Redis at " + u.getHost() + ":" + u.getPort() + ".", e);
    }
  }

  /** Connects to a Redis Cluster through one or more seed nodes ({@code redis://host:port} each). */
  public static RedisStore connectCluster(List<String> seeds, Duration timeout) {
    if (seeds.isEmpty()) {
      throw new InvalidArgumentException("A Redis Cluster needs at least one seed URI.");
    }
    List<RedisURI> uris = new ArrayList<>();
    for (String s : seeds) {
      RedisURI u = parse(s);
      u.setTimeout(timeout);
      uris.add(u);
    }
    ClientResources res = resources();
    RedisClusterClient client = RedisClusterClient.create(res, uris);
    client.setOptions(ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .topologyRefreshOptions(adaptiveRefresh())
        .build());
    try {
      StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      return new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), true,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE)); // a Cluster forwards PUBLISH to every node
    } catch (RuntimeException e) {
      client.shutdown();
      var unused = res.shutdown();
      throw new StoreUnavailableException("Cannot connect to the Redis Cluster.", e);
    }
  }

  /** Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default waits up to 30 s), so service resumes
   *  within about a second of Redis coming back. */
  private static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * Refresh the topology on every adaptive trigger (MOVED, ASK, reconnects...). Lettuce 7 deprecates the trigger
   * methods without a replacement yet; they still work, and a failover must be picked up at once.
   */
  @SuppressWarnings("deprecation")
  private static ClusterTopologyRefreshOptions adaptiveRefresh() {
    return ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build();
  }

  private static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("A Redis URI looks like redis://host:6379 or rediss://:password@host:6380/0.");
    }
  }

  RedisApi api() {
    return api;
  }

  ClaimSignals signals() {
    return signals;
  }

  /** The timeout of every Redis call. */
  public Duration timeout() {
    return api.timeout();
  }

  public boolean isCluster() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      signals.close();
      connection.close();
      client.close();
    } catch (Exception e) {
      // shutting down anyway
    } finally {
      if (ownsClient) {
        var unused = resources.shutdown();
      }
    }
  }
}
