package io.onetimeshare.servlet;

import io.onetimeshare.RateLimiter;
import io.onetimeshare.servlet.internal.TrustedProxies;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the servlet behaves around the library: rate limiters for creating and opening, trusted proxies, the public
 * URL used in links. Immutable; built with {@link #builder()}.
 *
 * @since 0.1
 */
public final class ServletSettings {
  private final @Nullable RateLimiter createLimiter;
  private final @Nullable RateLimiter openLimiter;
  private final TrustedProxies trustedProxies;
  private final @Nullable URI publicUrl;

  private ServletSettings(Builder b) {
    this.createLimiter = b.createLimiter;
    this.openLimiter = b.openLimiter;
    this.trustedProxies = b.trustedProxies;
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

  @Nullable RateLimiter openLimiter() {
    return openLimiter;
  }

  TrustedProxies trustedProxies() {
    return trustedProxies;
  }

  @Nullable URI publicUrl() {
    return publicUrl;
  }

  /** Builds {@link ServletSettings}. */
  public static final class Builder {
    private @Nullable RateLimiter createLimiter;
    private @Nullable RateLimiter openLimiter;
    private TrustedProxies trustedProxies = TrustedProxies.none();
    private @Nullable URI publicUrl;

    private Builder() {}

    /** Limits {@code POST /api/secrets} per client address. */
    public Builder createLimiter(RateLimiter limiter) {
      this.createLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Limits {@code POST /api/secrets/{id}/open} per client address. */
    public Builder openLimiter(RateLimiter limiter) {
      this.openLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Comma-separated IPs or CIDR ranges whose X-Forwarded-For is believed. */
    public Builder trustedProxies(String spec) {
      this.trustedProxies = TrustedProxies.parse(Objects.requireNonNull(spec, "spec"));
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
