package io.onetimeshare.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Everything the standalone server's options configure, as onetimeshare.* properties (issue 39). Names follow
 * the server's options where one exists (--rate-create is onetimeshare.limits.create); secrets are
 * never values here, only files that hold them (secret-file) or Spring's own secret sources (a property placeholder
 * resolved from a mounted file, Vault, a Kubernetes Secret) for the Redis password, which belongs to Spring Data Redis.
 *
 * @param enabled whether OneTimeShare is mapped at all
 * @param path where the servlet is mapped (its page, api/* and links)
 * @param storage where secrets live: auto (the application's Redis when Spring Data Redis with Lettuce is
 *     configured, else memory), memory, file (onetimeshare.file.data-dir) or redis
 * @param bodies where the sealed bodies of secrets live: vault (with the records) or s3 (the object
 *     store of onetimeshare.s3.*, records and claims staying in the vault; needs onetimeshare-s3)
 * @param maxSize the largest secret a sender may store
 * @param defaultTtl how long a secret waits to be opened when the sender does not say
 * @param maxTtl the longest a sender may ask for
 * @param publicUrl the address people reach this application at, for links (default: from each request)
 * @param trustedProxies proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated)
 * @param limits rate limits and budgets per client
 * @param memory the in-memory vault
 * @param file the file vault
 * @param redis the vault on the application's Redis
 * @param s3 the object store for bodies
 * @param create who may create secrets
 * @param page the page's branding
 * @param webhooks webhooks (onetimeshare.notify.*)
 * @param security how the page's paths sit in the application's Spring Security
 * @since 0.3
 */
@ConfigurationProperties("onetimeshare")
public record OneTimeShareProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("/share/*") String path,
    @DefaultValue("auto") Storage storage,
    @DefaultValue("vault") Bodies bodies,
    @DefaultValue("10MB") DataSize maxSize,
    @DefaultValue("1d") Duration defaultTtl,
    @DefaultValue("7d") Duration maxTtl,
    @Nullable String publicUrl,
    @DefaultValue("") String trustedProxies,
    @DefaultValue Limits limits,
    @DefaultValue Memory memory,
    @DefaultValue File file,
    @DefaultValue Redis redis,
    @DefaultValue S3 s3,
    @DefaultValue Create create,
    @DefaultValue Page page,
    @Name("notify") @DefaultValue Notify webhooks,
    @DefaultValue Security security) {

  /** Where secrets live. */
  public enum Storage {
    /** The application's Redis when Spring Data Redis with Lettuce is configured, else memory. */
    AUTO,
    /** This process's memory (gone on restart; one instance only). */
    MEMORY,
    /** A directory on this machine's disk (one instance only). */
    FILE,
    /** The application's Redis (single node, Sentinel or Cluster) through Spring Data Redis's Lettuce client. */
    REDIS
  }

  /** Where the sealed bodies live. */
  public enum Bodies {
    /** With the records, in the vault. */
    VAULT,
    /** In an S3-compatible bucket (onetimeshare.s3.*). */
    S3
  }

  /** Who may create secrets. */
  public enum Access {
    /** Anyone who reaches the application. */
    ANYONE,
    /** Nobody: this application only opens secrets. */
    NOBODY,
    /** Anyone Spring Security authenticated (not the anonymous user). */
    AUTHENTICATED,
    /** Authenticated people holding one of onetimeshare.create.authorities. */
    AUTHORITY
  }

  /**
   * Rate limits per client address (or per creator, once signed in), as the server's --rate-* options.
   *
   * @param create creates per client: 100/1h, or off
   * @param open opens, peeks and deletes per client: 300/1h, or off
   * @param createBytes bytes a client may store per window: 1GB/1d, auto (a share of the store) or
   *     off
   */
  public record Limits(@DefaultValue("100/1h") String create, @DefaultValue("300/1h") String open,
      @DefaultValue("auto") String createBytes) {}

  /**
   * The in-memory vault.
   *
   * @param capacity the bytes all secrets may take together (default: a quarter of the heap)
   */
  public record Memory(@Nullable DataSize capacity) {}

  /**
   * The file vault.
   *
   * @param dataDir the directory (created 0700 if absent)
   */
  public record File(@DefaultValue("ots-data") String dataDir) {}

  /**
   * The vault on the application's Redis (its connection is Spring Data Redis's: spring.data.redis.*).
   *
   * @param prefix the prefix of every key
   * @param timeout the timeout of every Redis call
   * @param replicas replicas every change must reach before it is acknowledged: auto (every replica each
   *     primary has), all, none or a number
   * @param replicaTimeout how long a change waits for them before it is refused (shorter than timeout)
   */
  public record Redis(@DefaultValue("ots") String prefix, @DefaultValue("2s") Duration timeout,
      @DefaultValue("auto") String replicas, @DefaultValue("1s") Duration replicaTimeout) {}

  /**
   * The object store for bodies (onetimeshare.bodies=s3). Credentials come from the AWS SDK's default chain
   * (environment, profile, instance role) or from credentials-file, never from a property value.
   *
   * @param bucket the bucket (the operator's; it must exist)
   * @param endpoint an S3-compatible endpoint (MinIO, Ceph, s3proxy), or none for AWS
   * @param region the region
   * @param pathStyle path-style addressing (most S3-compatible stores want it)
   * @param prefix the prefix of every object key
   * @param credentialsFile a file of two lines: the access key id, then the secret access key
   * @param partSize the size of each multipart part (at least 5MB)
   * @param allChecksums send the SDK's CRC checksums on every request (some S3-compatible stores refuse them)
   * @param sweepInterval how often expired bodies are deleted (shared across instances)
   */
  public record S3(@Nullable String bucket, @Nullable String endpoint, @DefaultValue("us-east-1") String region,
      @DefaultValue("false") boolean pathStyle, @DefaultValue("ots/") String prefix, @Nullable String credentialsFile,
      @DefaultValue("8MB") DataSize partSize, @DefaultValue("false") boolean allChecksums,
      @DefaultValue("1m") Duration sweepInterval) {}

  /**
   * Who may create secrets. Opening a secret never needs an account.
   *
   * @param access who may: anyone, nobody, authenticated (Spring Security's authenticated
   *     user) or authority (one of authorities)
   * @param authorities the granted authorities that allow creating, e.g. ROLE_ots-creator or {@code
   *     SCOPE_ots.create}
   * @param signIn where the page sends people to sign in, e.g. /oauth2/authorization/keycloak or {@code
   *     /login}
   * @param signOut where the page's sign-out button posts, e.g. /logout
   */
  public record Create(@DefaultValue("anyone") Access access, @DefaultValue Set<String> authorities,
      @Nullable String signIn, @DefaultValue("/logout") String signOut) {}

  /**
   * The page's branding (as the server's --brand-* options). The page speaks 13 languages and picks the
   * reader's from the browser.
   *
   * @param brandName the product's name on the page
   * @param brandLogo a logo file (PNG, JPEG, WebP or SVG, at most 256 KiB)
   * @param brandAccent the accent colour, #rrggbb
   * @param brandFooterLinks footer links, Label=https://... each
   * @param brandNotice a short text in the footer
   */
  public record Page(@Nullable String brandName, @Nullable String brandLogo, @Nullable String brandAccent,
      @DefaultValue List<String> brandFooterLinks, @Nullable String brandNotice) {}

  /**
   * Webhooks (as the server's --notify-* options). The notifier starts and stops with the application
   * context.
   *
   * @param endpoints the operator's endpoints by name
   * @param callbacks whether senders may name a callback URL for their secret
   * @param allowHttp allow http receivers (tests, a private network)
   * @param allowRanges address ranges receivers may be in besides public addresses (CIDR)
   * @param allowPorts ports receivers may listen on besides 443
   * @param timeout how long one delivery attempt may take, the TLS handshake included
   */
  public record Notify(@DefaultValue Map<String, Endpoint> endpoints, @DefaultValue("false") boolean callbacks,
      @DefaultValue("false") boolean allowHttp, @DefaultValue List<String> allowRanges,
      @DefaultValue List<Integer> allowPorts, @DefaultValue("10s") Duration timeout) {}

  /**
   * One webhook endpoint.
   *
   * @param url where events are posted
   * @param secretFile the file holding its signing secret (whsec_..., Standard Webhooks)
   * @param events the events it receives: created, opened, expired, burned,
   *     deleted or all; empty for all
   */
  public record Endpoint(@Nullable String url, @Nullable String secretFile, @DefaultValue Set<String> events) {}

  /**
   * How OneTimeShare's paths sit in the application's Spring Security.
   *
   * @param filterChain register a filter chain for path: every request permitted (the create policy decides
   *     who may create; opens need no account), CSRF required only of requests that carry the browser's cookies
   *     (Spring Security's single-page-application handling: the page sends X-XSRF-TOKEN from the {@code
   *     XSRF-TOKEN} cookie)
   */
  public record Security(@DefaultValue("true") boolean filterChain) {}
}
