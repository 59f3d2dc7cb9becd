package io.onetimeshare.redis;

import io.onetimeshare.InvalidArgumentException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How many replicas must hold a change before the store acknowledges it (issue 35). Redis replicates asynchronously:
 * a primary that answers a write may lose it in a failover, and a replica promoted without it would hand out a secret
 * a second time. Every change a person relies on (a create, the claim before an open delivers its first byte, a
 * delete, a request's answer, a token's revocation, the record of an event) is therefore followed by {@code WAIT
 * replicas timeout} in the same flush; a shortfall answers "unavailable" and delivers nothing.
 *
 * <ul>
 *   <li>{@link #auto()} (the default): a majority of the copies, counting the primary: {@code floor((r + 1) / 2)} of
 *       the {@code r} replicas each primary has when the store connects (1 of 1, 1 of 2, 2 of 3). No replicas: nothing
 *       to wait for, as on a single node.
 *   <li>{@link #all()}: every replica each primary has at connect time; survives the wrong replica being promoted,
 *       at the price of answering "unavailable" while any replica is down.
 *   <li>{@link #of(int)}: exactly that many.
 *   <li>{@link #none()}: never wait. The operator accepts that a failover loses acknowledged secrets and may deliver
 *       opened ones twice.
 * </ul>
 *
 * @param mode how the number is chosen
 * @param replicas the number for {@link Mode#COUNT}; 0 otherwise
 * @param timeout how long a change waits for its replicas before it is refused (the {@code WAIT} timeout)
 * @since 0.4
 */
public record ReplicaAck(Mode mode, int replicas, Duration timeout) {
  /** Default time a change waits for its replicas. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** How the number of replicas is chosen. */
  public enum Mode { AUTO, ALL, COUNT, NONE }

  public ReplicaAck {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    if (replicas < 0 || replicas > 100 || (mode != Mode.COUNT && replicas != 0)) {
      throw new InvalidArgumentException("The number of replicas to wait for is between 0 and 100.");
    }
    if (timeout.toMillis() < 10 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidArgumentException("The replica timeout is between 10 ms and 1 minute.");
    }
  }

  public static ReplicaAck auto() {
    return new ReplicaAck(Mode.AUTO, 0, DEFAULT_TIMEOUT);
  }

  public static ReplicaAck all() {
    return new ReplicaAck(Mode.ALL, 0, DEFAULT_TIMEOUT);
  }

  public static ReplicaAck of(int replicas) {
    return replicas == 0 ? none() : new ReplicaAck(Mode.COUNT, replicas, DEFAULT_TIMEOUT);
  }

  public static ReplicaAck none() {
    return new ReplicaAck(Mode.NONE, 0, DEFAULT_TIMEOUT);
  }

  /** The same policy with another timeout. */
  public ReplicaAck withTimeout(Duration timeout) {
    return new ReplicaAck(mode, replicas, timeout);
  }

  /** {@code auto}, {@code all}, {@code none} or a number, as the {@code --redis-replicas} option takes it. */
  public static ReplicaAck parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "auto" -> auto();
      case "all" -> all();
      case "none" -> none();
      default -> {
        try {
          yield of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
          throw new InvalidArgumentException("The replicas to wait for are auto, all, none or a number such as 1.");
        }
      }
    };
  }

  /** The number to wait for, given the fewest replicas any primary has now. */
  int required(int replicasPresent) {
    return switch (mode) {
      case AUTO -> (replicasPresent + 1) / 2;
      case ALL -> replicasPresent;
      case COUNT -> replicas;
      case NONE -> 0;
    };
  }

  @Override
  public String toString() {
    return (mode == Mode.COUNT ? Integer.toString(replicas) : mode.name().toLowerCase(Locale.ROOT)) + " within "
        + timeout.toMillis() + " ms";
  }
}
