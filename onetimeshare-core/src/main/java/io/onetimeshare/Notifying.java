package io.onetimeshare;

import io.onetimeshare.internal.Bytes;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The facade's part that decides who is told about a new secret (issue 22): the operator's endpoints, and the
 * sender's callback when the share names one. It makes the callback's signing secret, which the sender gets once.
 */
final class Notifying {
  /** What a sender's callback hears of by default: how its secret ended. */
  static final Set<EventType> CALLBACK_EVENTS =
      EnumSet.of(EventType.OPENED, EventType.EXPIRED, EventType.BURNED, EventType.DELETED);

  private final List<NotifyTarget> endpoints;
  private final boolean recording;
  private final SecureRandom random;

  /** What a share's subscription is, and the callback's signing secret to give the sender (null: no callback). */
  record Chosen(Subscription subscription, @Nullable String signingSecret) {
    static final Chosen NONE = new Chosen(Subscription.NONE, null);
  }

  Notifying(List<NotifyTarget> endpoints, SecretVault vault, SecureRandom random) {
    this.endpoints = List.copyOf(endpoints);
    this.recording = vault.outbox().isPresent();
    this.random = random;
    if (!this.endpoints.isEmpty() && !recording) {
      throw new InvalidArgumentException("Notification endpoints need a vault that records events (memory, file or "
          + "Redis); this vault records none.");
    }
  }

  Chosen choose(@Nullable String callbackUrl) {
    if (callbackUrl == null) {
      return endpoints.isEmpty() ? Chosen.NONE : new Chosen(new Subscription(endpoints), null);
    }
    if (!recording) {
      throw new InvalidArgumentException("This server's store records no events, so it cannot notify a callback.");
    }
    checkUrl(callbackUrl);
    byte[] key = Bytes.random(random, 32);
    try {
      List<NotifyTarget> all = new ArrayList<>(endpoints);
      all.add(NotifyTarget.callback(callbackUrl, key, CALLBACK_EVENTS));
      return new Chosen(new Subscription(all), "whsec_" + java.util.Base64.getEncoder().encodeToString(key));
    } finally {
      Bytes.wipe(key);
    }
  }

  /** An asker's subscription to a secret request's end (issue 23): only their callback, never the endpoints. */
  Chosen chooseAsker(@Nullable String callbackUrl) {
    if (callbackUrl == null) {
      return Chosen.NONE;
    }
    if (!recording) {
      throw new InvalidArgumentException("This server's store records no events, so it cannot notify a callback.");
    }
    checkUrl(callbackUrl);
    byte[] key = Bytes.random(random, 32);
    try {
      return new Chosen(new Subscription(List.of(NotifyTarget.asker(callbackUrl, key))),
          "whsec_" + java.util.Base64.getEncoder().encodeToString(key));
    } finally {
      Bytes.wipe(key);
    }
  }

  /**
   * Checks a callback URL's form (the HTTP layer checks where it points): an absolute {@code http} or {@code https}
   * URL with a host, no user information and no fragment, at most 2048 characters.
   */
  static void checkUrl(String url) {
    if (url.isEmpty() || url.length() > 2048) {
      throw new InvalidArgumentException("The notification URL must be 1 to 2048 characters.");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidArgumentException("The notification URL is not a valid URL.");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!u.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new InvalidArgumentException("The notification URL must start with https://.");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new InvalidArgumentException("The notification URL has no host name.");
    }
    if (u.getRawUserInfo() != null) {
      throw new InvalidArgumentException("The notification URL must not carry a user name or password.");
    }
    if (u.getRawFragment() != null) {
      throw new InvalidArgumentException("The notification URL must not have a #fragment.");
    }
  }
}
