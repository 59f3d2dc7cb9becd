package io.onetimeshare.spi;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the events of one secret go (issue 22): an operator's endpoint, named, whose address and signing secret the
 * deliverer knows from its configuration; or the sender's own callback ({@link #CALLBACK}), whose URL and signing
 * secret travel with the secret because only this secret uses them.
 *
 * @param name {@link #CALLBACK} or an operator endpoint's name (1 to 32 of {@code a-z 0-9 -})
 * @param events which events this target wants
 * @param url the callback's URL (null for an operator endpoint)
 * @param signingSecret the callback's HMAC key, 32 bytes (null for an operator endpoint)
 * @since 0.3
 */
public record NotifyTarget(String name, Set<EventType> events, @Nullable String url, byte @Nullable [] signingSecret) {
  /** The name of a sender's per-secret callback. */
  public static final String CALLBACK = "callback";
  /**
   * The name of an asker's callback for a secret request (issue 23): its {@link EventType#CREATED} is told as {@code
   * request.fulfilled} (the answer was stored) and its {@link EventType#EXPIRED} as {@code request.expired} (no answer,
   * or an answer nobody opened, by the request's expiry). See {@link Delivery#eventName()}.
   *
   * @since 0.3
   */
  public static final String ASKER = "asker";
  /** What an asker's callback hears of. */
  public static final Set<EventType> ASKER_EVENTS = Set.of(EventType.CREATED, EventType.EXPIRED);

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public NotifyTarget {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a target's name is 1 to 32 of a-z, 0-9 and -, starting with a letter or digit");
    }
    events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    if (url == null && (CALLBACK.equals(name) || ASKER.equals(name))) {
      throw new IllegalArgumentException("the names " + CALLBACK + " and " + ASKER + " are reserved for the callbacks "
          + "that senders and askers name; choose another endpoint name");
    }
    if ((url == null) != (signingSecret == null) || (url != null) != (CALLBACK.equals(name) || ASKER.equals(name))) {
      throw new IllegalArgumentException("a callback (named " + CALLBACK + " or " + ASKER + ") has a URL and a "
          + "signing secret, an endpoint neither");
    }
    if (url != null && (url.isEmpty() || url.length() > 2048)) {
      throw new IllegalArgumentException("a callback URL is 1 to 2048 characters");
    }
    signingSecret = signingSecret == null ? null : signingSecret.clone();
  }

  /** An operator's endpoint, configured by name. */
  public static NotifyTarget endpoint(String name, Set<EventType> events) {
    return new NotifyTarget(name, events, null, null);
  }

  /** A sender's callback for one secret. */
  public static NotifyTarget callback(String url, byte[] signingSecret, Set<EventType> events) {
    return new NotifyTarget(CALLBACK, events, url, signingSecret);
  }

  /** An asker's callback for a secret request. */
  public static NotifyTarget asker(String url, byte[] signingSecret) {
    return new NotifyTarget(ASKER, ASKER_EVENTS, url, signingSecret);
  }

  public boolean isCallback() {
    return url != null;
  }

  @Override
  public byte @Nullable [] signingSecret() {
    return signingSecret == null ? null : signingSecret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NotifyTarget t && name.equals(t.name) && events.equals(t.events) && Objects.equals(url, t.url)
        && Arrays.equals(signingSecret, t.signingSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, events, url);
  }

  @Override
  public String toString() {
    return "NotifyTarget[" + name + ", events=" + events + (url == null ? "" : ", url=<callback>") + "]";
  }
}
