package io.onetimeshare;

import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Options for one share: time to live, optional passphrase, optional filename and content type. Immutable; the
 * passphrase is copied in and can be wiped with {@link #wipePassphrase()} once the share is done.
 *
 * @since 0.1
 */
public final class ShareOptions {
  private static final ShareOptions DEFAULTS = builder().build();

  private final @Nullable Duration ttl;
  private final char @Nullable [] passphrase;
  private final @Nullable String filename;
  private final @Nullable String contentType;
  private final @Nullable String creator;
  private final @Nullable String notifyUrl;

  private ShareOptions(Builder b) {
    this.notifyUrl = b.notifyUrl;
    this.ttl = b.ttl;
    this.passphrase = b.passphrase == null ? null : b.passphrase.clone();
    this.filename = b.filename;
    this.contentType = b.contentType;
    this.creator = b.creator;
  }

  /** No passphrase, the service's default TTL, no filename. */
  public static ShareOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TTL, or null for the service default. */
  public @Nullable Duration ttl() {
    return ttl;
  }

  public boolean hasPassphrase() {
    return passphrase != null;
  }

  char @Nullable [] passphrase() {
    return passphrase;
  }

  public @Nullable String filename() {
    return filename;
  }

  public @Nullable String contentType() {
    return contentType;
  }

  /** Who creates the secret, for the audit trail ({@link io.onetimeshare.spi.ShareEvents#createdBy}), or null. */
  public @Nullable String creator() {
    return creator;
  }

  /** The sender's callback URL for this secret's events (issue 22), or null. */
  public @Nullable String notifyUrl() {
    return notifyUrl;
  }

  /** Overwrites the copy of the passphrase these options hold. */
  public void wipePassphrase() {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }

  @Override
  public String toString() {
    return "ShareOptions[ttl=" + ttl + ", passphrase=" + (passphrase == null ? "none" : "***")
        + ", filename=" + (filename == null ? "none" : "***") + ", contentType=" + contentType
        + ", creator=" + creator + ", notify=" + (notifyUrl == null ? "none" : "<url>") + "]";
  }

  /** Builds {@link ShareOptions}. Values are checked by {@link OneTimeShare} against its configured limits. */
  public static final class Builder {
    private @Nullable Duration ttl;
    private char @Nullable [] passphrase;
    private @Nullable String filename;
    private @Nullable String contentType;
    private @Nullable String creator;
    private @Nullable String notifyUrl;

    private Builder() {}

    /**
     * A URL told, with a signed request, how this secret ends: opened, expired, burned or deleted (issue 22). The
     * receipt carries the signing secret ({@link ShareReceipt#notifySecret()}), once. Only the form is checked here;
     * the HTTP layer refuses addresses it must not call.
     *
     * @since 0.3
     */
    public Builder notify(String url) {
      Notifying.checkUrl(java.util.Objects.requireNonNull(url, "url"));
      this.notifyUrl = url;
      return this;
    }

    /** How long the secret stays available unopened. */
    public Builder ttl(Duration ttl) {
      this.ttl = java.util.Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** Seals under Argon2id(passphrase) instead of a random key. Copied. */
    public Builder passphrase(char[] passphrase) {
      this.passphrase = java.util.Objects.requireNonNull(passphrase, "passphrase").clone();
      return this;
    }

    public Builder passphrase(String passphrase) {
      return passphrase(java.util.Objects.requireNonNull(passphrase, "passphrase").toCharArray());
    }

    /** The file name shown to the receiver; sealed, the server never sees it. */
    public Builder filename(String filename) {
      this.filename = java.util.Objects.requireNonNull(filename, "filename");
      return this;
    }

    /** The content type given to the receiver; sealed. */
    public Builder contentType(String contentType) {
      this.contentType = java.util.Objects.requireNonNull(contentType, "contentType");
      return this;
    }

    /**
     * Who creates the secret (e.g. {@code token:ci} or {@code user:alice@example.com}), reported to
     * {@link io.onetimeshare.spi.ShareEvents#createdBy} with a digest of the id; never sealed or stored.
     *
     * @since 0.3
     */
    public Builder creator(String creator) {
      this.creator = java.util.Objects.requireNonNull(creator, "creator");
      return this;
    }

    public ShareOptions build() {
      return new ShareOptions(this);
    }
  }
}
