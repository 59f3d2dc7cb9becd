package io.onetimeshare.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The events a vault recorded for delivery (issue 22), one per event and target. The vault appends them itself,
 * atomically with the state change that causes them; deliverers ({@code io.onetimeshare.servlet.notify}) take them
 * under a lease, and acknowledge or reschedule each.
 *
 * <p>The contract (checked by {@code SecretVaultContract} on every store):
 *
 * <ul>
 *   <li>Every event a subscription wants is recorded exactly once per secret, whichever instance saw it happen; a
 *       secret's end (opened, expired, burned, deleted) is recorded once, and its expiry is recorded even when no
 *       request touches it, across restarts for the persistent stores.
 *   <li>A delivery taken is not handed to another taker until its lease ends; one acknowledged is never handed out
 *       again; one rescheduled is handed out again, with its attempt count raised, from the time given.
 *   <li>A lease that is no longer the taker's (it ran out and another took the delivery) makes {@link #ack} and
 *       {@link #retry} do nothing.
 * </ul>
 *
 * @since 0.3
 */
public interface EventOutbox {
  /**
   * Takes up to {@code max} deliveries due now, each leased to the caller for {@code lease}. Also notices expiries due
   * by now and records their events.
   */
  List<Delivery> take(int max, Duration lease);

  /** The delivery is done (delivered, or given up): it is forgotten. */
  void ack(Delivery d);

  /** The delivery failed: hand it out again from {@code at}, its attempt count raised by one. */
  void retry(Delivery d, Instant at);

  /**
   * Hands a delivery back untried (the deliverer had no room for it now): handed out again from {@code at}, its
   * attempt count unchanged.
   */
  void postpone(Delivery d, Instant at);

  /** How many deliveries wait (due or not, leased or not) and the time of the oldest event among them. */
  Backlog backlog();

  /**
   * The outbox's size.
   *
   * @param waiting deliveries not yet acknowledged
   * @param oldest when the oldest of them was recorded, or null when none waits
   */
  record Backlog(long waiting, @Nullable Instant oldest) {
    public static final Backlog EMPTY = new Backlog(0, null);

    public Optional<Duration> oldestAge(Instant now) {
      return oldest == null ? Optional.empty() : Optional.of(Duration.between(oldest, now));
    }
  }
}
