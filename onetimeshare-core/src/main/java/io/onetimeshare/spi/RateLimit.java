package io.onetimeshare.spi;

import io.onetimeshare.InvalidArgumentException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate: {@code permits} requests per {@code period}, e.g. {@code 100/1h}. Immutable.
 *
 * @param permits requests (or bytes, for a byte budget) admitted per period, and the burst size (1 to 2^40, about
 *     1.1 x 10^12, so a byte budget can reach 1 TiB)
 * @param period the period (1 second to 365 days)
 * @since 0.1
 */
public record RateLimit(long permits, Duration period) {
  private static final long MAX_PERMITS = 1L << 40;
  private static final Duration MAX_PERIOD = Duration.ofDays(365);
  private static final Pattern FORMAT =
      Pattern.compile("([0-9]{1,13})\\s*/\\s*([0-9]{0,9})\\s*(ms|s|sec|m|min|h|d)", Pattern.CASE_INSENSITIVE);

  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new InvalidArgumentException("A rate limit needs between 1 and " + MAX_PERMITS + " permits per period.");
    }
    if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(MAX_PERIOD) > 0) {
      throw new InvalidArgumentException("A rate limit period must be between 1 second and 365 days.");
    }
  }

  /**
   * Parses {@code N/P} where P is an optional count followed by a unit {@code s}, {@code m}, {@code h} or {@code d}:
   * {@code 100/1h}, {@code 10/s}, {@code 500/15m}.
   *
   * @throws InvalidArgumentException with a message that shows the expected form
   */
  public static RateLimit parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = FORMAT.matcher(text.trim());
    if (text.length() > 64 || !m.matches()) {
      throw new InvalidArgumentException(
          "A rate limit looks like 100/1h (requests per period; units s, m, h, d), not '" + printable(text) + "'.");
    }
    long permits = Long.parseLong(m.group(1));
    long count = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    Duration unit = switch (m.group(3).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(1);
      case "s", "sec" -> Duration.ofSeconds(1);
      case "m", "min" -> Duration.ofMinutes(1);
      case "h" -> Duration.ofHours(1);
      default -> Duration.ofDays(1);
    };
    if (count == 0) {
      throw new InvalidArgumentException("A rate limit period must not be zero.");
    }
    if (count > MAX_PERIOD.toMillis() / unit.toMillis()) {
      throw new InvalidArgumentException("A rate limit period must be between 1 second and 365 days.");
    }
    return new RateLimit(permits, unit.multipliedBy(count));
  }

  private static String printable(String s) {
    String cut = s.length() > 32 ? s.substring(0, 32) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** The canonical text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    if (period.getNano() != 0) {
      return permits + "/" + period.toMillis() + "ms"; // exact: periods are whole milliseconds
    }
    long s = period.getSeconds();
    if (s % 86400 == 0) {
      return permits + "/" + (s / 86400) + "d";
    } else if (s % 3600 == 0) {
      return permits + "/" + (s / 3600) + "h";
    } else if (s % 60 == 0) {
      return permits + "/" + (s / 60) + "m";
    }
    return permits + "/" + s + "s";
  }
}
