package io.onetimeshare.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;

/**
 * One event owed to one target, as handed out by {@link EventOutbox#take}: held under {@code lease} by the deliverer
 * that took it until it acknowledges it, schedules a retry, or the lease runs out (then another may take it).
 *
 * @param secretId the secret the event is about
 * @param type what happened
 * @param occurredAt when the store recorded it
 * @param expiresAt the secret's expiry
 * @param target where it goes
 * @param attempt attempts made before this one (0 on the first)
 * @param lease the taker's claim, checked by ack and retry
 * @since 0.3
 */
public record Delivery(String secretId, EventType type, Instant occurredAt, Instant expiresAt, NotifyTarget target,
    int attempt, String lease) {
  public Delivery {
    Objects.requireNonNull(secretId, "secretId");
    Objects.requireNonNull(type, "type");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MILLIS);
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(lease, "lease");
  }

  /**
   * The event's name on the wire: {@link EventType#wireName()} ({@code secret.opened}, ...), except for an asker's
   * callback ({@link NotifyTarget#ASKER}): {@code request.fulfilled} for the answer's creation, {@code
   * request.expired} for the expiry of the request or of its unopened answer.
   */
  public String eventName() {
    return eventName(type, target.name());
  }

  /** The wire name of {@code type} told to a target named {@code targetName}. */
  public static String eventName(EventType type, String targetName) {
    if (NotifyTarget.ASKER.equals(targetName)) {
      return switch (type) {
        case CREATED -> "request.fulfilled";
        case EXPIRED -> "request.expired";
        default -> "request." + type.name().toLowerCase(java.util.Locale.ROOT);
      };
    }
    return type.wireName();
  }

  /**
   * The event's id ({@code webhook-id}): the same on every attempt and every instance, different for every secret and
   * event, {@code evt_} and 22 base64url characters of SHA-256 over the secret id and the event's name.
   */
  public String eventId() {
    return eventId(secretId, eventName());
  }

  public static String eventId(String secretId, EventType type) {
    return eventId(secretId, type.wireName());
  }

  private static String eventId(String secretId, String eventName) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((secretId + "|" + eventName).getBytes(StandardCharsets.UTF_8));
      return "evt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Delivery[" + eventId() + " " + eventName() + " -> " + target.name() + ", attempt " + attempt + "]";
  }
}
