package io.onetimeshare.servlet.notify;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Notifications configured by name-value options (issue 22), the same for the standalone server's {@code --notify-*}
 * options and a servlet's init parameters: {@code notify-endpoints} ({@code NAME=URL,...}), {@code
 * notify-secret-files} ({@code NAME=FILE,...}, else the environment variable {@code OTS_NOTIFY_SECRET_<NAME>}), {@code
 * notify-events} ({@code NAME=opened+expired,...}), {@code notify-callbacks}, {@code notify-allow-http}, {@code
 * notify-allow-ranges}, {@code notify-allow-ports}, {@code notify-timeout}.
 *
 * @param endpoints the operator's endpoints
 * @param callbacks whether senders may name a callback URL
 * @param policy where webhooks may go
 * @param attemptTimeout how long one attempt may take
 * @since 0.3
 */
public record NotifyConfig(List<WebhookEndpoint> endpoints, boolean callbacks, AddressPolicy policy,
    Duration attemptTimeout) {
  /** The option names, without a prefix. */
  public static final List<String> NAMES = List.of("notify-endpoints", "notify-secret-files", "notify-events",
      "notify-callbacks", "notify-allow-http", "notify-allow-ranges", "notify-allow-ports", "notify-timeout");

  /** Nothing is notified. */
  public static final NotifyConfig NONE = new NotifyConfig(List.of(), false, AddressPolicy.STRICT,
      Duration.ofSeconds(10));

  public NotifyConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** Whether anything is to be delivered (then a {@link Notifier} must run). */
  public boolean enabled() {
    return callbacks || !endpoints.isEmpty();
  }

  /** What the facade records for every secret ({@code OneTimeShare.Builder.notifyEndpoints}). */
  public List<NotifyTarget> targets() {
    return endpoints.stream().map(WebhookEndpoint::target).toList();
  }

  /** A notifier for these endpoints and this policy on {@code outbox} (not started). */
  public Notifier.Builder notifier(EventOutbox outbox) {
    Notifier.Builder b = Notifier.builder(outbox).policy(policy).attemptTimeout(attemptTimeout);
    endpoints.forEach(b::endpoint);
    return b;
  }

  /**
   * Reads the options; {@code prefix} names them in messages ({@code "--"} or {@code "init parameter "}). Throws
   * {@link InvalidArgumentException} naming the option and saying how to fix it.
   *
   * @param option an option's value by name, or null
   * @param env the environment (for signing secrets)
   */
  public static NotifyConfig parse(Function<String, @Nullable String> option, Function<String, @Nullable String> env,
      String prefix) {
    Function<String, String> get = n -> {
      String v = option.apply(n);
      return v == null ? "" : v.trim();
    };
    Map<String, String> urls = pairs(get.apply("notify-endpoints"), prefix + "notify-endpoints");
    Map<String, String> files = pairs(get.apply("notify-secret-files"), prefix + "notify-secret-files");
    Map<String, String> events = pairs(get.apply("notify-events"), prefix + "notify-events");
    for (String n : files.keySet()) {
      if (!urls.containsKey(n)) {
        throw new InvalidArgumentException(prefix + "notify-secret-files names '" + n + "', which " + prefix
            + "notify-endpoints does not define.");
      }
    }
    for (String n : events.keySet()) {
      if (!urls.containsKey(n)) {
        throw new InvalidArgumentException(prefix + "notify-events names '" + n + "', which " + prefix
            + "notify-endpoints does not define.");
      }
    }
    AddressPolicy.Builder p = AddressPolicy.builder().allowHttp(onOff(get.apply("notify-allow-http"),
        prefix + "notify-allow-http"));
    for (String r : list(get.apply("notify-allow-ranges"))) {
      try {
        p.allowRange(r);
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException(prefix + "notify-allow-ranges: " + e.getMessage());
      }
    }
    for (String port : list(get.apply("notify-allow-ports"))) {
      if (port.equalsIgnoreCase("any")) {
        p.allowAnyPort(true);
      } else {
        try {
          p.allowPort(Integer.parseInt(port));
        } catch (NumberFormatException | InvalidArgumentException e) {
          throw new InvalidArgumentException(prefix + "notify-allow-ports is a list of ports or any, not '" + port
              + "'.");
        }
      }
    }
    AddressPolicy policy = p.build();
    List<WebhookEndpoint> endpoints = new ArrayList<>();
    for (Map.Entry<String, String> e : urls.entrySet()) {
      String name = e.getKey();
      String secret = secret(name, files.get(name), env, prefix);
      Set<EventType> wanted = events.containsKey(name) ? events(events.get(name), prefix)
          : EnumSet.allOf(EventType.class);
      try {
        policy.checkUrl(e.getValue()); // the check every attempt makes: a typo shows at start
        endpoints.add(WebhookEndpoint.of(name, e.getValue(), secret, wanted));
      } catch (InvalidArgumentException | IllegalArgumentException ex) {
        throw new InvalidArgumentException(prefix + "notify-endpoints " + name + ": " + ex.getMessage());
      }
    }
    String t = get.apply("notify-timeout");
    Duration timeout;
    try {
      timeout = OptionValues.duration(t.isEmpty() ? "10s" : t);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(prefix + "notify-timeout: " + e.getMessage());
    }
    if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidArgumentException(prefix + "notify-timeout is above 0 and at most 1m.");
    }
    return new NotifyConfig(endpoints, onOff(get.apply("notify-callbacks"), prefix + "notify-callbacks"), policy,
        timeout);
  }

  private static boolean onOff(String s, String name) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "", "off", "false", "no" -> false;
      case "on", "true", "yes" -> true;
      default -> throw new InvalidArgumentException(name + " must be on or off, not '" + s + "'.");
    };
  }

  /** {@code name=value,name=value}; names as endpoint names. */
  private static Map<String, String> pairs(String s, String option) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list(s)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException(option + " is a list of NAME=VALUE, not '" + item + "'.");
      }
      String name = item.substring(0, eq).trim();
      if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
        throw new InvalidArgumentException(option + ": an endpoint's name is 1 to 32 of a-z, 0-9 and -, not '"
            + name + "'.");
      }
      if (out.put(name, item.substring(eq + 1).trim()) != null) {
        throw new InvalidArgumentException(option + " names '" + name + "' twice.");
      }
    }
    return out;
  }

  private static List<String> list(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static Set<EventType> events(String s, String prefix) {
    Set<EventType> out = EnumSet.noneOf(EventType.class);
    for (String e : s.split("\\+")) {
      String t = e.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all")) {
        return EnumSet.allOf(EventType.class);
      }
      try {
        out.add(EventType.ofWireName(t.startsWith("secret.") ? t : "secret." + t));
      } catch (IllegalArgumentException ex) {
        throw new InvalidArgumentException(prefix + "notify-events: '" + e.trim() + "' is none of created, opened, "
            + "expired, burned, deleted, all.");
      }
    }
    return out;
  }

  /** From the secret file or the environment variable {@code OTS_NOTIFY_SECRET_<NAME>}; never an option's value. */
  private static String secret(String name, @Nullable String file, Function<String, @Nullable String> env,
      String prefix) {
    if (file != null) {
      String line;
      try {
        line = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      } catch (IOException | RuntimeException e) {
        throw new InvalidArgumentException(prefix + "notify-secret-files: cannot read " + file + ".");
      }
      if (line.isEmpty()) {
        throw new InvalidArgumentException(prefix + "notify-secret-files: " + file + " is empty.");
      }
      return line;
    }
    String var = "OTS_NOTIFY_SECRET_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    String s = env.apply(var);
    if (s == null || s.isBlank()) {
      throw new InvalidArgumentException("The endpoint '" + name + "' needs a signing secret: " + prefix
          + "notify-secret-files " + name + "=FILE or the environment variable " + var + " (whsec_ and base64; "
          + "make one with: echo whsec_$(head -c 32 /dev/urandom | base64)).");
    }
    return s.strip();
  }
}
