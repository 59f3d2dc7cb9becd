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
 *   <li>{@link #auto()} (the default): every replica each primary has when the store connects (1 of 1, 2 of 2). No
 *       replicas: nothing to wait for, as on a single node. Only this keeps the promise whichever replica Redis
 *       promotes: neither Sentinel nor Cluster guarantees to promote the replica that confirmed a change (Sentinel
 *       compares replication offsets it read up to seconds earlier, and a replica that confirmed a change to a primary
 *       cut off from the Sentinels is then made to resync from the promoted one, dropping it). Before 0.3.0 it waited
 *       for a majority (1 of 2); a 5 s partition of a Sentinel primary lost acknowledged secrets that way. The price:
 *       while any replica of a primary is down, that primary's changes answer "unavailable".
 *   <li>{@link #all()}: the same as {@code auto}, said explicitly.
 *   <li>{@link #of(int)}: exactly that many; fewer than every replica keeps serving while a replica is down, and
 *       accepts that a failover which promotes a replica without a change loses it (or delivers a claimed secret
 *       again).
 *   <li>{@link #none()}: never wait. The operator accepts that a failover loses acknowledged secrets and may deliver
 *       opened ones twice.
 * </ul>
 *
 * @param mode how the number is chosen
 * @param replicas the number for {@link Mode#COUNT}; 0 otherwise
 * @param timeout how long a change waits for its replicas before it is refused (the {@code WAIT} timeout)
 * @since 0.3
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
      case AUTO, ALL -> replicasPresent;
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
