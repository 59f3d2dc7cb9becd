package io.onetimeshare.servlet;

import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.servlet.internal.TrustedProxies;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the servlet behaves around the library: per-client rate limiters for creating and opening and a per-client
 * byte budget for uploads, trusted proxies and how clients are told apart, the public URL used in links. Immutable;
 * built with {@link #builder()}.
 *
 * @since 0.1
 */
public final class ServletSettings {
  /**
   * A request attribute under which a server that has already computed {@link #clientOf} for a request (the
   * standalone server's per-client thread limit does) leaves the result, so the servlet does not compute it again.
   * Attributes are set by server code only, never by a client.
   */
  public static final String CLIENT_ATTRIBUTE = "io.onetimeshare.client";

  /**
   * A request attribute the servlet sets on every allowed create: who created ({@link Creator#display()}, e.g.
   * {@code token:ci}), for the host's request log (issue 21).
   *
   * @since 0.3
   */
  public static final String CREATOR_ATTRIBUTE = "io.onetimeshare.creator";

  private final @Nullable RateLimiter createLimiter;
  private final @Nullable RateLimiter openLimiter;
  private final @Nullable RateLimiter createBytesLimiter;
  private final TrustedProxies trustedProxies;
  private final @Nullable URI publicUrl;
  private final java.util.function.BooleanSupplier warm;
  private final CreatePolicy createPolicy;
  private final io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks;
  private final Branding branding;

  private ServletSettings(Builder b) {
    this.callbacks = b.callbacks;
    this.branding = b.branding;
    this.warm = b.warm;
    this.createPolicy = b.createPolicy;
    this.createLimiter = b.createLimiter;
    this.openLimiter = b.openLimiter;
    this.createBytesLimiter = b.createBytesLimiter;
    this.trustedProxies = b.trustedProxies.withIpv6Prefix(b.ipv6Prefix);
    this.publicUrl = b.publicUrl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No rate limiting, no trusted proxies, links built from each request. */
  public static ServletSettings defaults() {
    return builder().build();
  }

  @Nullable RateLimiter createLimiter() {
    return createLimiter;
  }

  CreatePolicy createPolicy() {
    return createPolicy;
  }

  /** The operator's name, logo, colour and footer on the page. */
  public Branding branding() {
    return branding;
  }

  /** Where senders' callbacks may point, or null when the operator has not enabled them. */
  io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks() {
    return callbacks;
  }

  /** Whether the host's start-up training is over (always, unless the host set {@link Builder#readyWhen}). */
  boolean warm() {
    return warm.getAsBoolean();
  }

  @Nullable RateLimiter openLimiter() {
    return openLimiter;
  }

  @Nullable RateLimiter createBytesLimiter() {
    return createBytesLimiter;
  }

  /**
   * The client a request comes from, as the limiters see it: the peer address, or behind a trusted proxy the
   * right-most untrusted X-Forwarded-For entry over all header lines; IPv4-mapped addresses as IPv4, IPv6 clients
   * by network (/64 by default). Servers use it to apply their own per-client limits (threads, connections) to the
   * same identity.
   *
   * @param forwardedFor every X-Forwarded-For header line, in order
   */
  public String clientOf(String remoteAddr, java.util.List<String> forwardedFor) {
    return trustedProxies.clientOf(remoteAddr, forwardedFor);
  }

  /** Whether {@code address} is one of the configured trusted proxies. */
  public boolean isTrustedProxy(String address) {
    return trustedProxies.isTrusted(address);
  }

  @Nullable URI publicUrl() {
    return publicUrl;
  }

  /** Builds {@link ServletSettings}. */
  public static final class Builder {
    private java.util.function.BooleanSupplier warm = () -> true;
    private CreatePolicy createPolicy = CreatePolicy.anyone();
    private io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks;
    private Branding branding = Branding.DEFAULT;
    private @Nullable RateLimiter createLimiter;
    private @Nullable RateLimiter openLimiter;
    private @Nullable RateLimiter createBytesLimiter;
    private TrustedProxies trustedProxies = TrustedProxies.none();
    private int ipv6Prefix = 64;
    private @Nullable URI publicUrl;

    private Builder() {}

    /**
     * Lets senders name a callback URL for their secret ({@code notify} on every create path, issue 22), checked
     * against {@code policy} when the secret is created and before every delivery. Off by default: callback URLs are
     * attacker-controlled input, and the host must run a {@link io.onetimeshare.servlet.notify.Notifier} on the same
     * vault for them to be called.
     *
     * @since 0.3
     */
    /** The operator's branding on the page (issue 24); default {@link Branding#DEFAULT}. */
    public Builder branding(Branding b) {
      this.branding = Objects.requireNonNull(b, "branding");
      return this;
    }

    public Builder notifyCallbacks(io.onetimeshare.servlet.notify.AddressPolicy policy) {
      this.callbacks = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Limits {@code POST /api/secrets} per client address. */
    public Builder createLimiter(RateLimiter limiter) {
      this.createLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /**
     * Limits the bytes each client uploads (a limiter whose permits are bytes, e.g. {@code 256MB/7d}), charged as
     * the body arrives; an upload that passes the budget is refused with 429 and nothing is stored.
     */
    public Builder createBytesLimiter(RateLimiter limiter) {
      this.createBytesLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /**
     * How many leading bits of an IPv6 client address make one client (32 to 128; default 64, the usual size of
     * one subscriber's network).
     */
    public Builder ipv6ClientPrefix(int bits) {
      TrustedProxies.none().withIpv6Prefix(bits); // validates
      this.ipv6Prefix = bits;
      return this;
    }

    /**
     * Limits {@code POST /api/secrets/{id}/open}, and the reads ({@code GET}/{@code HEAD}) and deletes of a secret,
     * per client address: one budget for everything that touches an existing secret.
     */
    public Builder openLimiter(RateLimiter limiter) {
      this.openLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Comma-separated IPs or CIDR ranges whose X-Forwarded-For is believed. */
    public Builder trustedProxies(String spec) {
      this.trustedProxies = TrustedProxies.parse(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /**
     * Makes {@code GET /ready} answer 503 {@code "warming up"} until {@code warm} is true (as well as while the store
     * does not answer): a host that trains its request path at start, as the standalone server does for at most 10 s,
     * keeps a load balancer from sending traffic to a cold server. {@code /health} (liveness) is not affected.
     *
     * @since 0.3
     */
    public Builder readyWhen(java.util.function.BooleanSupplier warm) {
      this.warm = java.util.Objects.requireNonNull(warm, "warm");
      return this;
    }

    /**
     * Who may create secrets (default {@link CreatePolicy#anyone()}); opening never asks (issue 21).
     *
     * @since 0.3
     */
    public Builder createPolicy(CreatePolicy policy) {
      this.createPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The externally visible base URL (e.g. https://share.example.com) used to build links. */
    public Builder publicUrl(URI url) {
      this.publicUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    public ServletSettings build() {
      return new ServletSettings(this);
    }
  }
}
