package io.onetimeshare.examples.server;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.servlet.OptionValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's options. Each {@code --name value} (or {@code --name=value}) can also come from the environment as
 * {@code OTS_NAME} (upper case, dashes as underscores); the command line wins.
 */
public record ServerOptions(int port, String bind, String storage, Path dataDir, Optional<String> redisUri, long maxSize,
    Duration defaultTtl, Optional<RateLimit> rateCreate, Optional<RateLimit> rateOpen, String trustedProxies,
    Optional<URI> publicUrl, int kdfConcurrency, int kdfQueue, Duration kdfWait, long memoryCapacity,
    Optional<RateLimit> rateCreateBytes, int maxConnectionsPerClient, int maxThreadsPerClient, long minDataRate,
    int ipv6ClientPrefix, java.util.OptionalInt metricsPort, String metricsBind, boolean requestLog,
    Duration shutdownGrace, boolean warmup, Duration rateFallback, Optional<Path> redisPasswordFile,
    RedisReplication redisReplication, AccessOptions access, io.onetimeshare.servlet.notify.NotifyConfig notifications,
    io.onetimeshare.servlet.Branding branding, BodyStoreOptions bodies) {

  static final String USAGE = """
      Usage: java -jar onetimeshare-server.jar [options]   (each option also as env OTS_<NAME>, e.g. OTS_PORT)
        --port N              TCP port (default 8080; 0 = any free port)
        --bind ADDR           address to listen on (default 0.0.0.0)
        --storage KIND        memory | file | redis (default memory)
        --data-dir DIR        directory for --storage file (default ./ots-data)
        --redis-uri URI       redis://[:password@]host:port[/db] (rediss:// for TLS) for --storage redis;
                              a comma-separated list of seed URIs means a Redis Cluster;
                              redis-sentinel://s1:26379,s2:26379[/db]#name the primary Sentinels name
        --redis-replicas R    replicas every change must reach before it is acknowledged: auto (every
                              replica each primary has: Redis may promote any of them), all (the same),
                              none (accept losses and double deliveries on failover) or a number that
                              accepts them when Redis promotes a replica without the change (default auto)
        --redis-replica-timeout T  how long a change waits for them, then 503 (default 1s, or e.g. 500ms;
                              shorter than the 2 s Redis timeout)
        --redis-sentinel-password-file FILE  the Sentinels' own password (the data nodes' is
                              --redis-password-file)
        --max-size SIZE       largest secret, e.g. 10MB, 1GiB (default 10MB)
        --default-ttl T       TTL when none is given: seconds or 30m, 1h, 7d (default 1d)
        --rate-create R       creates per client, e.g. 100/1h, or off (default 100/1h)
        --rate-open R         opens per client, e.g. 300/1h, or off (default 300/1h)
        --trusted-proxies L   comma-separated IPs/CIDRs whose X-Forwarded-For is believed (default none)
        --public-url URL      external base URL for links (default: from each request)
        --kdf-concurrency N   Argon2id derivations at once (default: cores; each takes the KDF's memory)
        --kdf-queue N         passphrase requests that may wait for a slot (default 4 x cores); more get 503
        --kdf-wait T          longest wait for a slot, e.g. 10s or 1m (default 10s)
        --memory-capacity S   bytes the memory vault may hold, stored or being read (default: a quarter of
                              the heap, -Xmx, at most 1GiB)
        --rate-create-bytes B bytes each client may upload, e.g. 256MB/7d, or off (default: a quarter of the
                              memory capacity per 7d with --storage memory, else 1GiB/7d)
        --max-connections-per-client N   open connections per peer address (default 256; proxies exempt)
        --max-threads-per-client N       requests per client holding a thread at once (default 16)
        --min-data-rate N     slowest request body accepted, bytes/s averaged after 3 s (default 1024; 0 = off)
        --ipv6-client-prefix N  leading bits of an IPv6 address that make one client (default 64)
        --metrics-port N      serve Prometheus metrics at /metrics on this port (default off; 0 = any free port)
        --metrics-bind ADDR   address of the metrics port (default 127.0.0.1: not public)
        --request-log on|off  one line per request on stdout, ids redacted (default on)
        --warmup on|off       train the request path at start (its own loopback port, memory and limiters)
                              so the JIT has compiled it before clients arrive; /ready says 503 until it
                              ends (default on; <= 10 s, stops at the first real request)
        --shutdown-grace T    on SIGTERM, how long requests in flight may take to finish (default 20s)
        --redis-password-file FILE  the Redis password (or ACL user's), first line of FILE, e.g. a Compose or
                              Kubernetes secret; keeps it out of --redis-uri, the environment and ps
        --rate-fallback T     with Redis: when the limits' store is unreachable, limit each client in this
                              process for at most T, then refuse (503) until it is back (default 30s; off = 503 at once)
      Who may create (opening never needs an account; see docs/operations.md, "Who may create"):
        --create-access A     anyone | nobody | tokens | sign-in | tokens,sign-in (default anyone); nobody = an
                              instance that only opens secrets and serves receipts
        --oidc-issuer URL     OpenID Connect provider's issuer (found by discovery), for sign-in
        --oidc-client-id ID   this server's client id there
        --oidc-client-secret-file FILE  its client secret, first line of FILE (or env OTS_OIDC_CLIENT_SECRET;
                              never on the command line)
        --oidc-scopes S       scopes to ask for (default "openid email profile")
        --oidc-allowed-domains L   e-mail domains that may create, e.g. example.com (verified addresses only;
                              default: any)
        --oidc-allowed-groups L    groups or roles of which one is needed (default: none needed)
        --oidc-groups-claim C the claim with them, a dotted path for nested ones (default groups)
        --session-key-file FILE  key of the sign-in cookie (>= 32 characters; the same on every instance;
                              default: random, so sign-ins last until a restart and work on one instance only)
        --session-lifetime T  how long a sign-in lasts (default 2h; 1m to 1d)
      Notifications: signed webhooks when secrets are opened, expire, are burned or deleted (docs/operations.md,
      "Notifications"):
        --notify-endpoints L  the operator's receivers, NAME=URL,NAME=URL (https on port 443 unless allowed below)
        --notify-secret-files L   each one's signing secret, NAME=FILE,... (first line: whsec_<base64>); or env
                              OTS_NOTIFY_SECRET_<NAME>; never on the command line
        --notify-events L     what each one gets, NAME=opened+expired,... (created, opened, expired, burned,
                              deleted, all; default all)
        --notify-callbacks on|off  let senders name their own callback URL per secret (default off)
        --notify-allow-http on|off  allow http:// receivers (default off: https only)
        --notify-allow-ranges L    address ranges allowed although private, e.g. 10.1.2.0/24 (default none)
        --notify-allow-ports L     ports besides 443 (and 80 with http), or any (default none)
        --notify-timeout T    longest attempt: connection, TLS and answer (default 10s, at most 1m)
      The page's branding (docs/operations.md, "Branding"):
        --brand-name TEXT     the product name on every page (default OneTimeShare)
        --brand-logo FILE     a logo shown above it: PNG, JPEG, WebP or SVG, at most 256 KiB
        --brand-accent #RGB   the accent colour of buttons, #rrggbb (text on it is chosen for contrast)
        --brand-footer-links L  footer links, Label=https://...,Label=mailto:... (imprint, privacy)
        --brand-notice TEXT   a short notice in the footer (at most 500 characters)
      """ + BodyStoreOptions.USAGE + """
      Tokens for scripts and CI (with --storage file or redis; the same storage options apply):
        java -jar onetimeshare-server.jar tokens create NAME [--expires 90d] | tokens list | tokens revoke NAME
      """;

  private static final String[] NAMES = {"port", "bind", "storage", "data-dir", "redis-uri", "max-size",
      "default-ttl", "rate-create", "rate-open", "trusted-proxies", "public-url", "kdf-concurrency", "kdf-queue",
      "kdf-wait", "memory-capacity", "rate-create-bytes", "max-connections-per-client", "max-threads-per-client",
      "min-data-rate", "ipv6-client-prefix", "metrics-port", "metrics-bind", "request-log", "shutdown-grace",
      "warmup", "rate-fallback", "redis-password-file", "redis-replicas", "redis-replica-timeout",
      "redis-sentinel-password-file", "create-access", "oidc-issuer", "oidc-client-id",
      "oidc-client-secret-file", "oidc-scopes", "oidc-allowed-domains", "oidc-allowed-groups", "oidc-groups-claim",
      "session-key-file", "session-lifetime", "notify-endpoints", "notify-secret-files", "notify-events",
      "notify-callbacks", "notify-allow-http", "notify-allow-ranges", "notify-allow-ports", "notify-timeout",
      "brand-name", "brand-logo", "brand-accent", "brand-footer-links", "brand-notice", "body-store", "s3-bucket",
      "s3-endpoint", "s3-region", "s3-path-style", "s3-prefix", "s3-credentials-file", "s3-part-size",
      "s3-checksums", "s3-sweep-interval"};

  /**
   * What a change on Redis waits for (issue 35): {@code --redis-replicas}, {@code --redis-replica-timeout}, and the
   * Sentinels' own password file.
   */
  public record RedisReplication(io.onetimeshare.redis.ReplicaAck ack, Optional<Path> sentinelPasswordFile) {
    static RedisReplication parse(Map<String, String> v) {
      io.onetimeshare.redis.ReplicaAck ack;
      try {
        ack = io.onetimeshare.redis.ReplicaAck.parse(v.getOrDefault("redis-replicas", "auto"));
      } catch (InvalidArgumentException e) {
        throw new BadOption("--redis-replicas: " + e.getMessage());
      }
      String ts = v.getOrDefault("redis-replica-timeout", "1s").trim();
      // a replica timeout is best said in milliseconds too (500ms), unlike the other durations
      Duration t = ts.matches("[0-9]{1,6}ms") ? Duration.ofMillis(Long.parseLong(ts.substring(0, ts.length() - 2)))
          : named("redis-replica-timeout", ts);
      try {
        ack = ack.withTimeout(t);
      } catch (InvalidArgumentException e) {
        throw new BadOption("--redis-replica-timeout: " + e.getMessage());
      }
      if (ack.mode() != io.onetimeshare.redis.ReplicaAck.Mode.NONE
          && t.compareTo(io.onetimeshare.redis.RedisStore.DEFAULT_TIMEOUT) >= 0) {
        throw new BadOption("--redis-replica-timeout must be shorter than the Redis timeout ("
            + io.onetimeshare.redis.RedisStore.DEFAULT_TIMEOUT.toMillis() + " ms), so a shortfall is answered.");
      }
      return new RedisReplication(ack, Optional.ofNullable(v.get("redis-sentinel-password-file")).map(Path::of));
    }
  }

  /** Thrown for a bad option; the message says which and how to fix it. */
  public static final class BadOption extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadOption(String message) {
      super(message);
    }
  }

  public static ServerOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> v = new LinkedHashMap<>();
    for (String n : NAMES) {
      String e = env.get("OTS_" + n.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (e != null && !e.isBlank()) { // an empty variable (compose's ${X:-}) means "not set"
        v.put(n, e);
      }
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new BadOption("help");
      }
      if (!a.startsWith("--")) {
        throw new BadOption("Unexpected argument '" + a + "'.");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new BadOption("Option --" + name + " needs a value.");
        }
        value = args[++i];
      }
      if (name.equals("oidc-client-secret")) {
        throw new BadOption("--oidc-client-secret is not accepted on the command line (every user of the machine can"
            + " read it there); use --oidc-client-secret-file FILE or the environment variable OTS_OIDC_CLIENT_SECRET.");
      }
      if (!java.util.Arrays.asList(NAMES).contains(name)) {
        throw new BadOption("Unknown option --" + name + ".");
      }
      v.put(name, value);
    }
    int port = intIn(v.getOrDefault("port", "8080"), "port", 0, 65535);
    String storage = v.getOrDefault("storage", "memory");
    if (!storage.equals("memory") && !storage.equals("file") && !storage.equals("redis")) {
      throw new BadOption("--storage must be memory, file or redis, not '" + storage + "'.");
    }
    Optional<String> redis = Optional.ofNullable(v.get("redis-uri")).map(s -> {
      if (s.trim().startsWith("redis-sentinel://") || s.trim().startsWith("rediss-sentinel://")) {
        if (!s.contains("#") || s.substring(s.indexOf('#') + 1).isBlank()) {
          throw new BadOption("--redis-uri: a redis-sentinel:// URI names its primary after '#', as in "
              + "redis-sentinel://sentinel1:26379,sentinel2:26379#mymaster.");
        }
        return s.replace(" ", "");
      }
      for (String part : s.split(",")) {
        URI u = uri(part, "redis-uri");
        if (!u.getScheme().equals("redis") && !u.getScheme().equals("rediss")) {
          throw new BadOption("--redis-uri must start with redis://, rediss:// or redis-sentinel://, not '"
              + redact(part.trim())
              + "'.");
        }
      }
      return s.replace(" ", "");
    });
    if (storage.equals("redis") && redis.isEmpty()) {
      throw new BadOption("--storage redis needs --redis-uri (e.g. redis://127.0.0.1:6379).");
    }
    long memoryCapacity;
    try {
      memoryCapacity = v.containsKey("memory-capacity") ? OptionValues.size(v.get("memory-capacity"))
          : io.onetimeshare.memory.InMemorySecretVault.Builder.defaultMaxBytes();
    } catch (InvalidArgumentException e) {
      throw new BadOption("--memory-capacity: " + e.getMessage());
    }
    Optional<URI> publicUrl = Optional.ofNullable(v.get("public-url")).map(s -> uri(s, "public-url"));
    AccessOptions access = AccessOptions.parse(v, env, storage, publicUrl);
    io.onetimeshare.servlet.notify.NotifyConfig notify;
    try {
      notify = io.onetimeshare.servlet.notify.NotifyConfig.parse(v::get, env::get, "--");
    } catch (InvalidArgumentException e) {
      throw new BadOption(e.getMessage());
    }
    io.onetimeshare.servlet.Branding branding;
    try {
      branding = io.onetimeshare.servlet.Branding.parse(v::get, "--");
    } catch (InvalidArgumentException e) {
      throw new BadOption(e.getMessage());
    }
    return new ServerOptions(port, v.getOrDefault("bind", "0.0.0.0"), storage,
        Path.of(v.getOrDefault("data-dir", "ots-data")), redis, size(v.getOrDefault("max-size", "10MB")),
        duration(v.getOrDefault("default-ttl", "1d")), rate(v.getOrDefault("rate-create", "100/1h"), "rate-create"),
        rate(v.getOrDefault("rate-open", "300/1h"), "rate-open"), v.getOrDefault("trusted-proxies", ""),
        publicUrl,
        intIn(v.getOrDefault("kdf-concurrency", Integer.toString(Runtime.getRuntime().availableProcessors())),
            "kdf-concurrency", 1, 1024),
        intIn(v.getOrDefault("kdf-queue", Integer.toString(4 * Runtime.getRuntime().availableProcessors())),
            "kdf-queue", 0, 100_000),
        kdfWait(v.getOrDefault("kdf-wait", "10s")), memoryCapacity,
        byteRate(v.getOrDefault("rate-create-bytes", OptionValues.defaultByteBudget(
            storage.equals("memory") ? memoryCapacity : 4L << 30).toString())),
        intIn(v.getOrDefault("max-connections-per-client", "256"), "max-connections-per-client", 1, 1_000_000),
        intIn(v.getOrDefault("max-threads-per-client", "16"), "max-threads-per-client", 1, 10_000),
        intIn(v.getOrDefault("min-data-rate", "1024"), "min-data-rate", 0, 1 << 30),
        intIn(v.getOrDefault("ipv6-client-prefix", "64"), "ipv6-client-prefix", 32, 128),
        v.containsKey("metrics-port") && !v.get("metrics-port").trim().equalsIgnoreCase("off")
            ? java.util.OptionalInt.of(intIn(v.get("metrics-port"), "metrics-port", 0, 65535))
            : java.util.OptionalInt.empty(),
        v.getOrDefault("metrics-bind", "127.0.0.1"),
        onOff(v.getOrDefault("request-log", "on"), "request-log"),
        named("shutdown-grace", v.getOrDefault("shutdown-grace", "20s")),
        onOff(v.getOrDefault("warmup", "on"), "warmup"),
        v.getOrDefault("rate-fallback", "30s").trim().equalsIgnoreCase("off") ? Duration.ZERO
            : named("rate-fallback", v.getOrDefault("rate-fallback", "30s")),
        Optional.ofNullable(v.get("redis-password-file")).map(Path::of), RedisReplication.parse(v), access, notify,
        branding, BodyStoreOptions.parse(v));
  }

  private static boolean onOff(String s, String name) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new BadOption("--" + name + " must be on or off, not '" + s + "'.");
    };
  }

  private static Duration named(String name, String s) {
    try {
      return OptionValues.duration(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--" + name + ": " + e.getMessage());
    }
  }

  /** A URI with any user info (a Redis password) replaced, for messages. */
  static String redact(String uri) {
    return uri.replaceAll("(?<=//)[^@/]*@", "***@");
  }

  private static Optional<RateLimit> byteRate(String s) {
    try {
      return OptionValues.byteRate(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--rate-create-bytes: " + e.getMessage());
    }
  }

  private static int intIn(String s, String name, int lo, int hi) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n >= lo && n <= hi) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new BadOption("--" + name + " must be a number from " + lo + " to " + hi + ", not '" + s + "'.");
  }

  private static URI uri(String s, String name) {
    try {
      URI u = new URI(s.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new BadOption("--" + name + " must be an absolute URL, not '" + redact(s) + "'.");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new BadOption("--" + name + " must be an absolute URL, not '" + redact(s) + "'.");
    }
  }

  static long size(String s) {
    try {
      return OptionValues.size(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--max-size: " + e.getMessage());
    }
  }

  static Duration kdfWait(String s) {
    try {
      return OptionValues.duration(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--kdf-wait: " + e.getMessage());
    }
  }

  static Duration duration(String s) {
    try {
      return OptionValues.duration(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--default-ttl: " + e.getMessage());
    }
  }

  private static Optional<RateLimit> rate(String s, String name) {
    try {
      return OptionValues.rate(s);
    } catch (InvalidArgumentException e) {
      throw new BadOption("--" + name + ": " + e.getMessage() + " Use 'off' to disable.");
    }
  }
}
