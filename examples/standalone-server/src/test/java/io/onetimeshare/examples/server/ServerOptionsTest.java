package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
  /** Issue 9, finding 10: a bad --redis-uri must not be echoed with its password. */
  @Test
  void aBadRedisUriIsNeverEchoedWithItsPassword() {
    ServerOptions.BadOption e = assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--storage", "redis", "--redis-uri", "http://:hunter2-secret@db.example:6379"}, Map.of()));
    assertFalse(e.getMessage().contains("hunter2-secret"), e.getMessage());
    assertTrue(e.getMessage().contains("***@db.example"), e.getMessage());
    ServerOptions.BadOption bad = assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--redis-uri", "redis://user:pa ss@host:1"}, Map.of()));
    assertFalse(bad.getMessage().contains("pa ss"), bad.getMessage());
  }

  /** Compose passes unset variables as empty strings: they mean "not set", not "invalid". */
  @Test
  void replicaOptionsAndSentinelUris(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    ServerOptions d = ServerOptions.parse(new String[] {"--storage", "redis", "--redis-uri", "redis://127.0.0.1:6379"},
        Map.of());
    assertEquals(io.onetimeshare.redis.ReplicaAck.auto(), d.redisReplication().ack(), "auto by default, 1 s");
    ServerOptions o = ServerOptions.parse(new String[] {"--storage", "redis", "--redis-uri",
        "redis-sentinel://10.0.0.1:26379, 10.0.0.2:26379#ots", "--redis-replicas", "all",
        "--redis-replica-timeout", "500ms"}, Map.of("OTS_REDIS_SENTINEL_PASSWORD_FILE", "/run/secrets/sentinel"));
    assertEquals("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379#ots", o.redisUri().orElseThrow());
    assertEquals(io.onetimeshare.redis.ReplicaAck.all().withTimeout(java.time.Duration.ofMillis(500)),
        o.redisReplication().ack());
    assertEquals(java.nio.file.Path.of("/run/secrets/sentinel"), o.redisReplication().sentinelPasswordFile()
        .orElseThrow());
    assertEquals("--redis-replicas: The replicas to wait for are auto, all, none or a number such as 1.",
        assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(new String[] {"--redis-replicas",
            "most"}, Map.of())).getMessage());
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(new String[] {
        "--redis-replica-timeout", "2s"}, Map.of())).getMessage().startsWith("--redis-replica-timeout must be shorter"));
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(new String[] {"--storage",
        "redis", "--redis-uri", "redis-sentinel://10.0.0.1:26379"}, Map.of())).getMessage().contains("after '#'"));
    // the data nodes' password goes once into a Sentinel URI (Lettuce gives it to the primary and replicas)
    java.nio.file.Path pw = dir.resolve("pw");
    java.nio.file.Files.writeString(pw, "s3cret word\n");
    assertEquals("redis-sentinel://:s3cret%20word@10.0.0.1:26379,10.0.0.2:26379#ots",
        StandaloneServer.withPassword("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379#ots", pw));
    assertEquals("redis://:s3cret%20word@a:1,redis://:s3cret%20word@b:2",
        StandaloneServer.withPassword("redis://a:1,redis://b:2", pw));
  }

  @Test
  void objectStoreOptions() {
    ServerOptions o = ServerOptions.parse(new String[] {"--storage", "redis", "--redis-uri", "redis://127.0.0.1:1",
        "--body-store", "s3", "--s3-bucket", "ots-bodies", "--s3-endpoint", "http://127.0.0.1:9000",
        "--s3-path-style", "on", "--s3-part-size", "16MB", "--s3-sweep-interval", "30s"}, java.util.Map.of());
    assertEquals("s3", o.bodies().kind());
    assertEquals(16 << 20, o.bodies().partSize());
    assertTrue(o.bodies().pathStyle());
    assertEquals(java.time.Duration.ofSeconds(30), o.bodies().sweepInterval());
    assertEquals("vault", ServerOptions.parse(new String[0], java.util.Map.of()).bodies().kind(), "the default");
    for (String[] bad : new String[][] {{"--body-store", "s3"}, {"--body-store", "gcs"},
        {"--body-store", "s3", "--s3-bucket", "Bad_Bucket"}, {"--body-store", "s3", "--s3-bucket", "b1x",
            "--s3-part-size", "1MB"}, {"--s3-endpoint", "http://key:secret@s3.example.com"},
        {"--s3-checksums", "some"}, {"--s3-sweep-interval", "0s"}}) {
      ServerOptions.BadOption e = assertThrows(ServerOptions.BadOption.class,
          () -> ServerOptions.parse(bad, java.util.Map.of()).bodies().open(), String.join(" ", bad));
      assertFalse(e.getMessage().contains("secret"), "never echoes a credential: " + e.getMessage());
    }
  }

  @Test
  void emptyEnvironmentVariablesAreUnset() {
    ServerOptions o = ServerOptions.parse(new String[0], Map.of("OTS_PUBLIC_URL", "", "OTS_TRUSTED_PROXIES", " ",
        "OTS_PORT", "9999"));
    assertTrue(o.publicUrl().isEmpty());
    assertEquals(9999, o.port());
  }

  @Test
  void operatorOptions() {
    ServerOptions o = ServerOptions.parse(new String[] {"--metrics-port", "0", "--request-log", "off",
        "--shutdown-grace", "5s", "--rate-create-bytes", "64MB/1d"}, Map.of());
    assertEquals(0, o.metricsPort().getAsInt());
    assertEquals("127.0.0.1", o.metricsBind());
    assertEquals(java.time.Duration.ofSeconds(30), o.rateFallback(), "degrade for 30 s by default");
    assertEquals(java.time.Duration.ZERO, ServerOptions.parse(new String[0], Map.of("OTS_RATE_FALLBACK", "off"))
        .rateFallback());
    assertEquals(java.time.Duration.ofMinutes(2), ServerOptions.parse(new String[] {"--rate-fallback", "2m"},
        Map.of()).rateFallback());
    assertFalse(o.requestLog());
    assertEquals(5, o.shutdownGrace().toSeconds());
    assertEquals(64L << 20, o.rateCreateBytes().orElseThrow().permits());
    assertTrue(ServerOptions.parse(new String[0], Map.of()).metricsPort().isEmpty(), "metrics off by default");
    assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(new String[] {"--request-log", "maybe"},
        Map.of()));
  }

  /** Issue 21: the client secret never on the command line; access options checked with clear messages. */
  @Test
  void accessOptionsAreCheckedAndSecretsStayOffTheCommandLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    ServerOptions.BadOption onCli = assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--oidc-client-secret", "s3cr3t-value"}, Map.of()));
    assertTrue(onCli.getMessage().contains("--oidc-client-secret-file"), onCli.getMessage());
    assertFalse(onCli.getMessage().contains("s3cr3t-value"));
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--create-access", "tokens"}, Map.of())).getMessage().contains("--storage file or redis"));
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--create-access", "anyone,tokens"}, Map.of())).getMessage().contains("stand alone"));
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--create-access", "sign-in", "--oidc-issuer", "https://id.example", "--oidc-client-id", "x"},
        Map.of())).getMessage().contains("OTS_OIDC_CLIENT_SECRET"));
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(
        new String[] {"--oidc-issuer", "https://id.example"}, Map.of())).getMessage().contains("only used with"));
    java.nio.file.Path shortKey = java.nio.file.Files.writeString(dir.resolve("k"), "too short");
    assertTrue(assertThrows(ServerOptions.BadOption.class, () -> ServerOptions.parse(new String[] {"--create-access",
        "sign-in", "--oidc-issuer", "https://id.example", "--oidc-client-id", "x", "--session-key-file",
        shortKey.toString()}, Map.of("OTS_OIDC_CLIENT_SECRET", "from-env"))).getMessage().contains("32 characters"));
    ServerOptions ok = ServerOptions.parse(new String[] {"--create-access", "tokens,sign-in", "--storage", "file",
        "--oidc-issuer", "https://id.example/realms/a", "--oidc-client-id", "ots", "--oidc-allowed-domains",
        "Example.COM, example.org", "--oidc-groups-claim", "realm_access.roles"},
        Map.of("OTS_OIDC_CLIENT_SECRET", "from-env-secret"));
    assertTrue(ok.access().tokens() && ok.access().signIn());
    var oidc = ok.access().oidc().orElseThrow();
    assertEquals(java.util.List.of("example.com", "example.org"), oidc.allowedDomains());
    assertEquals(java.time.Duration.ofHours(2), oidc.sessionLifetime());
    assertFalse(oidc.sessionKeyConfigured());
    assertFalse(oidc.toString().contains("from-env-secret"), oidc.toString());
    assertTrue(ServerOptions.parse(new String[0], Map.of()).access().anyone(), "open by default");
  }
}
