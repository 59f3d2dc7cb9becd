package io.onetimeshare.redis;

import java.nio.charset.StandardCharsets;

/**
 * Where a secret lives in Redis: the head hash {@code <prefix>:{<id>}} (expiry, attempts, envelope header, token hash,
 * the body inline when small, a claim token while claimed) and chunk keys {@code <prefix>:{<id>}:<n>}. The hash tag
 * puts all keys of one secret in one Cluster slot, so every script works on a Cluster.
 */
record KeyLayout(String prefix) {
  byte[] head(String id) {
    return (prefix + ":{" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** The receipt's trace, {@code <prefix>:{<id>}:r}. */
  byte[] trace(String id) {
    return (prefix + ":{" + id + "}:r").getBytes(StandardCharsets.UTF_8);
  }

  /** An unfinished upload's state, {@code <prefix>:{<id>}:u}; its segments are the chunk keys. */
  byte[] upload(String id) {
    return (prefix + ":{" + id + "}:u").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The pub/sub channel {@code <prefix>:{<id>}:w} on which the scripts that end a claim announce it to openers
   * waiting for it (a channel, not a key: nothing is stored under it).
   */
  byte[] claimChannel(String id) {
    return (prefix + ":{" + id + "}:w").getBytes(StandardCharsets.UTF_8);
  }

  /** A secret request (issue 23), {@code <prefix>:{<id>}:q}: expiry, public key, owner token hash, answered at. */
  byte[] request(String id) {
    return (prefix + ":{" + id + "}:q").getBytes(StandardCharsets.UTF_8);
  }

  /** A subscribed secret's subscription and expiry, {@code <prefix>:{<id>}:n} (issue 22). */
  byte[] notify(String id) {
    return (prefix + ":{" + id + "}:n").getBytes(StandardCharsets.UTF_8);
  }

  /** A secret's events waiting for delivery, {@code <prefix>:{<id>}:ev}. */
  byte[] events(String id) {
    return (prefix + ":{" + id + "}:ev").getBytes(StandardCharsets.UTF_8);
  }

  /** The outbox index {@code {<prefix>:outbox}}: ids with events or a watched expiry, scored by when to look. */
  byte[] outboxIndex() {
    return ("{" + prefix + ":outbox}").getBytes(StandardCharsets.UTF_8);
  }

  /** The ids with events waiting, scored by when the first was recorded (for the backlog's metrics). */
  byte[] outboxWaiting() {
    return ("{" + prefix + ":outbox}:w").getBytes(StandardCharsets.UTF_8);
  }

  /** The four keys of a secret that the scripts changing its state use: head, trace, notify, events. */
  byte[][] stateKeys(String id) {
    return new byte[][] {head(id), trace(id), notify(id), events(id)};
  }

  byte[] chunk(String id, long n) {
    return (prefix + ":{" + id + "}:" + n).getBytes(StandardCharsets.UTF_8);
  }

  /** The id in a key of this layout ({@code <prefix>:{<id>}...}). */
  static String idOf(byte[] key) {
    String k = new String(key, StandardCharsets.UTF_8);
    int open = k.lastIndexOf('{');
    return k.substring(open + 1, k.indexOf('}', open));
  }

  static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  /** A Lua integer reply, or a number Redis returned as a bulk string. */
  static long num(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(new String((byte[]) o, StandardCharsets.US_ASCII));
  }
}
