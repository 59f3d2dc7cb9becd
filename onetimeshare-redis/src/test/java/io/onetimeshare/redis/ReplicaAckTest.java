package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.onetimeshare.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaAckTest {
  @Test
  void autoAndAllWaitForEveryReplicaBecauseRedisMayPromoteAnyOfThem() {
    int[] replicas = {0, 1, 2, 3, 4};
    for (int i = 0; i < replicas.length; i++) {
      assertEquals(replicas[i], ReplicaAck.auto().required(replicas[i]), replicas[i] + " replicas");
      assertEquals(replicas[i], ReplicaAck.all().required(replicas[i]));
      assertEquals(0, ReplicaAck.none().required(replicas[i]));
      assertEquals(2, ReplicaAck.of(2).required(replicas[i]));
    }
  }

  @Test
  void parsesTheOptionsFormAndRefusesOthersWithAMessage() {
    assertEquals(ReplicaAck.auto(), ReplicaAck.parse(" AUTO "));
    assertEquals(ReplicaAck.all(), ReplicaAck.parse("all"));
    assertEquals(ReplicaAck.none(), ReplicaAck.parse("0"));
    assertEquals(ReplicaAck.of(2), ReplicaAck.parse("2"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ReplicaAck.parse("most"));
    assertEquals("The replicas to wait for are auto, all, none or a number such as 1.", e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> ReplicaAck.of(-1));
    assertThrows(InvalidArgumentException.class, () -> ReplicaAck.auto().withTimeout(Duration.ofMillis(1)));
    assertEquals("1 within 250 ms", ReplicaAck.of(1).withTimeout(Duration.ofMillis(250)).toString());
  }

  @Test
  void countsEachPrimarysReplicasFromClusterNodesIgnoringFailedOnesAndSlotlessPrimaries() {
    String nodes = String.join("\n",
        "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460",
        "a2 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922",
        "a3 127.0.0.1:7003@17003 master - 0 0 3 connected 10923-16383",
        "b1 127.0.0.1:7004@17004 slave a1 0 0 1 connected",
        "b2 127.0.0.1:7005@17005 slave a2 0 0 2 connected",
        "c2 127.0.0.1:7007@17007 slave,fail a2 0 0 2 disconnected",
        "b3 127.0.0.1:7006@17006 slave a3 0 0 3 connected",
        "b4 127.0.0.1:7008@17008 slave a3 0 0 3 connected",
        "x0 127.0.0.1:7009@17009 master - 0 0 4 connected");
    assertEquals(Map.of("a1", 1, "a2", 1, "a3", 2), ReplicaCount.perPrimary(nodes));
  }

  @Test
  void aReplicaTimeoutAsLongAsTheStoreTimeoutIsRefused() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> RedisStore.connect(
        "redis://127.0.0.1:1", Duration.ofSeconds(1), ReplicaAck.auto().withTimeout(Duration.ofSeconds(1))));
    assertEquals("The replica timeout (1000 ms) must be shorter than the Redis timeout (1000 ms), so a shortfall is "
        + "answered, not timed out.", e.getMessage());
  }
}
