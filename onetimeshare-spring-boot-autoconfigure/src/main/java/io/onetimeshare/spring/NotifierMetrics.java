package io.onetimeshare.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.onetimeshare.servlet.notify.Notifier;
import io.onetimeshare.spi.Delivery;
import io.onetimeshare.spi.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Webhook meters under the standalone server's names: {@code ots.notify.attempts} (tags target, event, outcome: the
 * operator's endpoint names or {@code callback}, so bounded), {@code ots.notify.waiting} and {@code
 * ots.notify.oldest.seconds}.
 */
final class NotifierMetrics {
  private final MeterRegistry registry;

  NotifierMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void attempt(String target, EventType type, Notifier.Outcome outcome, Duration took) {
    Counter.builder("ots.notify.attempts").tag("target", target).tag("event", Delivery.eventName(type, target))
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .description("webhook attempts: delivered, failed (tried again), dropped (after the last), refused")
        .register(registry).increment();
  }

  void bind(Notifier n) {
    Gauge.builder("ots.notify.waiting", n, x -> x.backlog().waiting())
        .description("webhook deliveries not yet acknowledged").register(registry);
    Gauge.builder("ots.notify.oldest.seconds", n, x -> x.backlog().oldestAge(Instant.now())
        .map(d -> d.toMillis() / 1000.0).orElse(0.0))
        .description("age of the oldest waiting webhook event").register(registry);
  }
}
