package io.onetimeshare;

import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * API tokens for scripts and CI (issue 21): issued by the operator, shown once, stored only as a SHA-256 hash in a
 * {@link TokenStore}, checked on every use against the store (so a revocation reaches every instance at once).
 *
 * <p>A token is {@code ots_} followed by 43 base64url characters: 256 bits from {@link SecureRandom}. With that much
 * entropy a plain SHA-256 is the right hash (nothing to brute-force, unlike a password); the stored hash is compared
 * with the presented one in constant time.
 *
 * @since 0.3
 */
public final class ApiTokens {
  /** The text every token starts with (so secret scanners and people can recognise one). */
  public static final String PREFIX = "ots_";
  private static final Pattern FORMAT = Pattern.compile("ots_[A-Za-z0-9_-]{43}");
  /** Longest life an operator may give a token. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(3650);
  /** How often at most a token's last-used time is written (per instance). */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final TokenStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> touched = new ConcurrentHashMap<>();

  private ApiTokens(TokenStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static ApiTokens on(TokenStore store) {
    return new ApiTokens(store, Clock.systemUTC());
  }

  public static ApiTokens on(TokenStore store, Clock clock) {
    return new ApiTokens(store, clock);
  }

  /** A token just issued: its text (shown once, never stored) and what the store keeps. */
  public record Issued(String token, TokenRecord record) {
    @Override
    public String toString() {
      return "Issued[token=***, record=" + record + "]";
    }
  }

  /** The outcome of {@link #check}: which token, or why none. */
  public enum Status {
    VALID, MALFORMED, UNKNOWN, EXPIRED
  }

  /** The outcome of {@link #check}. */
  public record Check(Status status, @Nullable TokenRecord token) {
    public boolean valid() {
      return status == Status.VALID;
    }

    /** Why the token was refused, in words for the client (never repeating the token). */
    public String refusal() {
      return switch (status) {
        case VALID -> "";
        case MALFORMED -> "That is not an API token of this server (they start with ots_ and have 47 characters).";
        case UNKNOWN -> "The API token is not known here: it was revoked or never issued.";
        case EXPIRED -> "The API token has expired; ask the operator for a new one.";
      };
    }
  }

  /**
   * Issues a token called {@code name}, valid for {@code lifetime}. Throws {@link InvalidArgumentException} for a bad
   * name or lifetime, or a name in use.
   */
  public Issued issue(String name, Duration lifetime) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lifetime, "lifetime");
    if (!TokenRecord.NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("A token name is 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'.");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new InvalidArgumentException("A token's lifetime is more than 0 and at most 3650 days.");
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    java.util.Arrays.fill(raw, (byte) 0);
    Instant now = clock.instant();
    TokenRecord record = new TokenRecord(name, hash(token), now, now.plus(lifetime), null);
    if (!store.add(record)) {
      throw new InvalidArgumentException("A token called '" + name + "' exists already; revoke it or pick another name.");
    }
    return new Issued(token, record);
  }

  /** Checks a presented token against the store; a valid one has its last-used time recorded (about once a minute). */
  public Check check(String presented) {
    Objects.requireNonNull(presented, "presented");
    if (!FORMAT.matcher(presented).matches()) {
      return new Check(Status.MALFORMED, null);
    }
    String hash = hash(presented);
    TokenRecord found = store.find(hash).orElse(null);
    // the store found it by hash; compare again in constant time so no store's lookup can leak by timing
    if (found == null || !MessageDigest.isEqual(found.hash().getBytes(StandardCharsets.US_ASCII),
        hash.getBytes(StandardCharsets.US_ASCII))) {
      return new Check(Status.UNKNOWN, null);
    }
    Instant now = clock.instant();
    if (found.expiredAt(now)) {
      return new Check(Status.EXPIRED, found);
    }
    Instant last = touched.get(hash);
    if (last == null || !now.isBefore(last.plus(TOUCH_EVERY))) {
      if (touched.size() > 10_000) {
        touched.clear(); // a bound: tokens are few, but nothing grows without one
      }
      touched.put(hash, now);
      try {
        store.touch(hash, now);
      } catch (OneTimeShareException e) {
        // the last-used time is best effort; the check itself succeeded
      }
    }
    return new Check(Status.VALID, found);
  }

  /** Every token, by name (the operator's list: names, dates, never a token). */
  public List<TokenRecord> list() {
    return store.list();
  }

  /** Revokes the token called {@code name}; false if there was none. */
  public boolean revoke(String name) {
    return store.revoke(Objects.requireNonNull(name, "name"));
  }

  /** The hash a store keeps for {@code token}: base64url of its SHA-256. */
  public static String hash(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
