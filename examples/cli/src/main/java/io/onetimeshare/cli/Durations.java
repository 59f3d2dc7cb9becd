package io.onetimeshare.cli;

import java.time.Duration;
import picocli.CommandLine;

/** "600", "10m", "1h", "1d", "7d" as a duration. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd]?)").matcher(s.strip());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + s + "' is not a duration like 600, 10m, 1h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
