package io.onetimeshare.servlet.notify;

import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An operator's webhook endpoint (issue 22): a name (used in metrics and by the store), a URL, a Standard Webhooks
 * signing secret ({@code whsec_...}) and the events it wants. {@link #toString()} hides the secret.
 *
 * @param name 1 to 32 of {@code a-z 0-9 -}
 * @param url where to POST
 * @param signingKey the key of the signing secret
 * @param events which events it gets
 * @since 0.3
 */
public record WebhookEndpoint(String name, String url, byte[] signingKey, Set<EventType> events) {
  public WebhookEndpoint {
    NotifyTarget.endpoint(name, events); // checks the name
    Objects.requireNonNull(url, "url");
    signingKey = signingKey.clone();
    events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
  }

  /** An endpoint whose signing secret is given as {@code whsec_<base64>}. */
  public static WebhookEndpoint of(String name, String url, String signingSecret, Set<EventType> events) {
    return new WebhookEndpoint(name, url, Signing.key(signingSecret), events);
  }

  /** What the store records for it. */
  public NotifyTarget target() {
    return NotifyTarget.endpoint(name, events);
  }

  @Override
  public byte[] signingKey() {
    return signingKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookEndpoint e && name.equals(e.name) && url.equals(e.url)
        && Arrays.equals(signingKey, e.signingKey) && events.equals(e.events);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, url, events);
  }

  @Override
  public String toString() {
    return "WebhookEndpoint[" + name + ", events=" + events + ", secret=***]";
  }
}
