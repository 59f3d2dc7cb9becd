package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.Revocations;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@link Revocations} contract (issue 36, finding 8), run by every store: memory, file, Redis single node and
 * Cluster. {@link #peer} stands for another instance on the same store: what one revokes, the other refuses.
 */
public abstract class RevocationsContract {
  /** Fresh revocations (their own namespace). */
  protected abstract Revocations create() throws Exception;

  /** Other revocations over the same data as {@code first} (another process); default: the same instance. */
  protected Revocations peer(Revocations first) throws Exception {
    return first;
  }

  private static String id() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void aRevocationIsSeenByEveryInstanceUntilItRunsOut() throws Exception {
    Revocations r = create();
    Revocations other = peer(r);
    String id = id();
    assertFalse(r.isRevoked(id));
    r.revoke(id, Instant.now().plus(Duration.ofHours(2)));
    assertTrue(r.isRevoked(id));
    assertTrue(other.isRevoked(id), "another instance refuses it too");
    assertFalse(other.isRevoked(id()), "and only it");
  }

  @Test
  void aRevocationRunsOutAndOneAlreadyRunOutIsNothing() throws Exception {
    Revocations r = create();
    String past = id();
    r.revoke(past, Instant.now().minusSeconds(1));
    assertFalse(r.isRevoked(past));
    String soon = id();
    Instant until = Instant.now().plusMillis(1500);
    r.revoke(soon, until);
    assertTrue(r.isRevoked(soon));
    while (!Instant.now().isAfter(until.plusMillis(300))) {
      Thread.sleep(50);
    }
    assertFalse(r.isRevoked(soon), "forgotten once it has run out");
  }

  @Test
  void idsAreChecked() throws Exception {
    Revocations r = create();
    for (String bad : new String[] {"", "a/b", "../x", "x".repeat(65), "a b", "é"}) {
      assertThrows(InvalidArgumentException.class, () -> r.revoke(bad, Instant.now().plusSeconds(60)), bad);
      assertThrows(InvalidArgumentException.class, () -> r.isRevoked(bad), bad);
    }
  }
}
