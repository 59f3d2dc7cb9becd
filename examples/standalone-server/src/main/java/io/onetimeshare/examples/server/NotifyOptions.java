package io.onetimeshare.examples.server;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.servlet.notify.AddressPolicy;
import io.onetimeshare.servlet.notify.WebhookEndpoint;
import io.onetimeshare.spi.EventType;
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

/**
 * Who is told what happens to secrets (issue 22): the operator's webhook endpoints, whether senders may name their
 * own callback, and where webhooks may go.
 *
 * @param endpoints the operator's endpoints
 * @param callbacks whether senders may name a callback URL ({@code --notify-callbacks})
 * @param policy where webhooks may go
 * @param attemptTimeout how long one attempt may take
 */
public record NotifyOptions(List<WebhookEndpoint> endpoints, boolean callbacks, AddressPolicy policy,
    Duration attemptTimeout) {
  static final List<String> NAMES = List.of("notify-endpoints", "notify-secret-files", "notify-events",
      "notify-callbacks", "notify-allow-http", "notify-allow-ranges", "notify-allow-ports", "notify-timeout");

  public NotifyOptions {
    endpoints = List.copyOf(endpoints);
  }

  /** Whether anything is to be delivered at all (then a notifier runs). */
  public boolean enabled() {
    return callbacks || !endpoints.isEmpty();
  }

  static NotifyOptions parse(Map<String, String> v, Map<String, String> env) {
    Map<String, String> urls = pairs(v.getOrDefault("notify-endpoints", ""), "notify-endpoints");
    Map<String, String> files = pairs(v.getOrDefault("notify-secret-files", ""), "notify-secret-files");
    Map<String, String> events = pairs(v.getOrDefault("notify-events", ""), "notify-events");
    for (String n : files.keySet()) {
      if (!urls.containsKey(n)) {
        throw new ServerOptions.BadOption("--notify-secret-files names '" + n + "', which --notify-endpoints does "
            + "not define.");
      }
    }
    for (String n : events.keySet()) {
      if (!urls.containsKey(n)) {
        throw new ServerOptions.BadOption("--notify-events names '" + n + "', which --notify-endpoints does not "
            + "define.");
      }
    }
    AddressPolicy.Builder p = AddressPolicy.builder().allowHttp(ServerOptions.onOffOption(
        v.getOrDefault("notify-allow-http", "off"), "notify-allow-http"));
    for (String r : list(v.getOrDefault("notify-allow-ranges", ""))) {
      try {
        p.allowRange(r);
      } catch (InvalidArgumentException e) {
        throw new ServerOptions.BadOption("--notify-allow-ranges: " + e.getMessage());
      }
    }
    for (String port : list(v.getOrDefault("notify-allow-ports", ""))) {
      if (port.equalsIgnoreCase("any")) {
        p.allowAnyPort(true);
      } else {
        try {
          p.allowPort(Integer.parseInt(port));
        } catch (NumberFormatException | InvalidArgumentException e) {
          throw new ServerOptions.BadOption("--notify-allow-ports is a list of ports or any, not '" + port + "'.");
        }
      }
    }
    AddressPolicy policy = p.build();
    List<WebhookEndpoint> endpoints = new ArrayList<>();
    for (Map.Entry<String, String> e : urls.entrySet()) {
      String name = e.getKey();
      String secret = secret(name, files.get(name), env);
      Set<EventType> wanted = events.containsKey(name) ? events(events.get(name)) : EnumSet.allOf(EventType.class);
      WebhookEndpoint endpoint;
      try {
        policy.checkUrl(e.getValue()); // the same check as every attempt makes: a typo shows at start
        endpoint = WebhookEndpoint.of(name, e.getValue(), secret, wanted);
      } catch (InvalidArgumentException | IllegalArgumentException ex) {
        throw new ServerOptions.BadOption("--notify-endpoints " + name + ": " + ex.getMessage());
      }
      endpoints.add(endpoint);
    }
    Duration timeout;
    try {
      timeout = OptionValues.duration(v.getOrDefault("notify-timeout", "10s"));
    } catch (InvalidArgumentException e) {
      throw new ServerOptions.BadOption("--notify-timeout: " + e.getMessage());
    }
    if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ServerOptions.BadOption("--notify-timeout is at most 1m.");
    }
    return new NotifyOptions(endpoints, ServerOptions.onOffOption(v.getOrDefault("notify-callbacks", "off"),
        "notify-callbacks"), policy, timeout);
  }

  /** {@code name=value,name=value}; names as endpoint names. */
  private static Map<String, String> pairs(String s, String option) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list(s)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ServerOptions.BadOption("--" + option + " is a list of NAME=VALUE, not '" + item + "'.");
      }
      String name = item.substring(0, eq).trim();
      if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
        throw new ServerOptions.BadOption("--" + option + ": an endpoint's name is 1 to 32 of a-z, 0-9 and -, not '"
            + name + "'.");
      }
      if (out.put(name, item.substring(eq + 1).trim()) != null) {
        throw new ServerOptions.BadOption("--" + option + " names '" + name + "' twice.");
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

  private static Set<EventType> events(String s) {
    Set<EventType> out = EnumSet.noneOf(EventType.class);
    for (String e : s.split("\\+")) {
      String t = e.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all")) {
        return EnumSet.allOf(EventType.class);
      }
      try {
        out.add(EventType.ofWireName(t.startsWith("secret.") ? t : "secret." + t));
      } catch (IllegalArgumentException ex) {
        throw new ServerOptions.BadOption("--notify-events: '" + e.trim() + "' is none of created, opened, expired, "
            + "burned, deleted, all.");
      }
    }
    return out;
  }

  /** From {@code --notify-secret-files NAME=FILE} or env {@code OTS_NOTIFY_SECRET_<NAME>}; never the command line. */
  private static String secret(String name, String file, Map<String, String> env) {
    if (file != null) {
      try {
        String line = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("")
            .strip();
        if (line.isEmpty()) {
          throw new ServerOptions.BadOption("--notify-secret-files: " + file + " is empty.");
        }
        return line;
      } catch (IOException e) {
        throw new ServerOptions.BadOption("--notify-secret-files: cannot read " + file + ".");
      }
    }
    String var = "OTS_NOTIFY_SECRET_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    String s = env.get(var);
    if (s == null || s.isBlank()) {
      throw new ServerOptions.BadOption("The endpoint '" + name + "' needs a signing secret: --notify-secret-files "
          + name + "=FILE or the environment variable " + var + " (whsec_ and base64; make one with: echo "
          + "whsec_$(head -c 32 /dev/urandom | base64)).");
    }
    return s.strip();
  }
}
