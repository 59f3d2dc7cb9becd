package io.onetimeshare.spring;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.servlet.notify.Notifier;
import io.onetimeshare.servlet.notify.NotifyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks from {@code onetimeshare.notify.*}: the endpoints' signing secrets come from files ({@code secret-file})
 * or, as for the standalone server, from {@code OTS_NOTIFY_SECRET_<NAME>} in the environment, which Spring's own
 * secret sources can fill; never from a property value. The notifier starts after the context is refreshed and stops
 * with it ({@link NotifierLifecycle}), giving deliveries under way their attempt timeout to finish.
 */
@Configuration(proxyBeanMethods = false)
class WithNotifications {
  /** The notifications the properties ask for, or none (then no bean: nothing is recorded or delivered). */
  @Bean
  @ConditionalOnMissingBean
  @Nullable NotifyConfig oneTimeShareNotifications(OneTimeShareProperties p) {
    NotifyConfig c = NotifyConfig.parse(options(p.webhooks()), System::getenv, "onetimeshare.");
    return c.enabled() ? c : null;
  }

  /** The option values {@link NotifyConfig#parse} reads, from the typed properties. */
  static Function<String, @Nullable String> options(OneTimeShareProperties.Notify n) {
    List<String> urls = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (Map.Entry<String, OneTimeShareProperties.Endpoint> e : n.endpoints().entrySet()) {
      OneTimeShareProperties.Endpoint ep = e.getValue();
      if (ep.url() != null) {
        urls.add(e.getKey() + "=" + ep.url());
      }
      if (ep.secretFile() != null) {
        files.add(e.getKey() + "=" + ep.secretFile());
      }
      if (!ep.events().isEmpty()) {
        events.add(e.getKey() + "=" + String.join("+", ep.events()));
      }
    }
    Map<String, String> v = new java.util.HashMap<>();
    v.put("notify-endpoints", String.join(",", urls));
    v.put("notify-secret-files", String.join(",", files));
    v.put("notify-events", String.join(",", events));
    v.put("notify-callbacks", n.callbacks() ? "on" : "off");
    v.put("notify-allow-http", n.allowHttp() ? "on" : "off");
    v.put("notify-allow-ranges", String.join(",", n.allowRanges()));
    v.put("notify-allow-ports", String.join(",", n.allowPorts().stream().map(String::valueOf).toList()));
    v.put("notify-timeout", Math.max(1, (n.timeout().toMillis() + 999) / 1000) + "s");
    return name -> {
      String s = v.get(name);
      return s == null || s.isEmpty() ? null : s;
    };
  }

  @Bean
  @ConditionalOnMissingBean
  NotifierLifecycle oneTimeShareNotifier(ObjectProvider<NotifyConfig> config, OneTimeShare ots,
      ObjectProvider<NotifierMetrics> metrics) {
    NotifyConfig c = config.getIfAvailable();
    if (c == null) {
      return new NotifierLifecycle(null);
    }
    Notifier.Builder b = c.notifier(ots.outbox().orElseThrow(() -> new IllegalStateException(
        "The vault keeps no outbox of events, so webhooks cannot be delivered; use memory, file or Redis storage.")));
    NotifierMetrics m = metrics.getIfAvailable();
    if (m != null) {
      b.listener(m::attempt);
    }
    Notifier n = b.build();
    if (m != null) {
      m.bind(n);
    }
    return new NotifierLifecycle(n);
  }
}
