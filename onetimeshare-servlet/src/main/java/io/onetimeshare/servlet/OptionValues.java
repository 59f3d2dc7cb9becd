package io.onetimeshare.servlet;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateLimit;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the option values shared by the servlet's init parameters and the standalone server's command line:
 * sizes ({@code 10MB}, {@code 1GiB}), durations ({@code 86400}, {@code 30m}, {@code 1h}, {@code 7d}) and rates
 * ({@code 100/1h} or {@code off}). Every failure is an {@link InvalidArgumentException} that shows the expected form.
 *
 * @since 0.1
 */
public final class OptionValues {
  private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d{1,12})\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\\s*");
  private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d{1,9})\\s*(s|m|h|d)?\\s*");

  private OptionValues() {}

  /** A size in bytes, 1 byte to 64 GiB; units are binary (MB = MiB). */
  public static long size(String s) {
    Matcher m = SIZE.matcher(s);
    if (s.length() > 40 || !m.matches()) {
      throw new InvalidArgumentException("A size looks like 10MB or 1GiB.");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long mul = switch (unit) {
      case "kb", "kib", "k" -> 1024L;
      case "mb", "mib", "m" -> 1024L * 1024;
      case "gb", "gib", "g" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    if (n < 1 || n > (64L << 30) / mul) {
      throw new InvalidArgumentException("A size must be between 1 byte and 64GiB.");
    }
    return n * mul;
  }

  /** A duration: whole seconds, or a number with s, m, h or d. */
  public static Duration duration(String s) {
    Matcher m = DURATION.matcher(s);
    if (s.length() > 40 || !m.matches()) {
      throw new InvalidArgumentException("A duration looks like 86400, 30m, 1h or 7d.");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /**
   * A byte budget such as {@code 200MB/7d} (a size per period, like a rate of bytes), or empty for {@code off}.
   */
  public static Optional<RateLimit> byteRate(String s) {
    if (s.trim().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    int slash = s.indexOf('/');
    if (slash < 0 || s.length() > 64) {
      throw new InvalidArgumentException("A byte budget looks like 200MB/7d (a size per period), or off.");
    }
    long bytes = size(s.substring(0, slash));
    return Optional.of(new RateLimit(bytes, RateLimit.parse("1/" + s.substring(slash + 1).trim()).period()));
  }

  /**
   * The default per-client byte budget for a store of {@code capacity} bytes: a quarter of it per 7 days (the
   * longest TTL), so no one client can hold more than half the store at any time; 1 GiB per 7 days when the store
   * has no known capacity (file, Redis).
   */
  public static RateLimit defaultByteBudget(long capacity) {
    return new RateLimit(Math.max(1024 * 1024, Math.min(capacity, 4L << 30) / 4), Duration.ofDays(7));
  }

  /** A rate such as {@code 100/1h}, or empty for {@code off}. */
  public static Optional<RateLimit> rate(String s) {
    if (s.trim().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    return Optional.of(RateLimit.parse(s));
  }
}
