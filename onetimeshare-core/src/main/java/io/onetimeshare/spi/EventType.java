package io.onetimeshare.spi;

import java.util.Locale;

/**
 * What can happen to a secret that someone may be told about (issue 22). A secret ends exactly once, so of {@link
 * #OPENED}, {@link #EXPIRED}, {@link #BURNED} and {@link #DELETED} at most one is ever recorded for it; {@link
 * #CREATED} is recorded when it is stored.
 *
 * @since 0.3
 */
public enum EventType {
  /** Stored (finished, for an upload). */
  CREATED('c'),
  /** Handed out: its one delivery. */
  OPENED('o'),
  /** Reached its expiry unopened. */
  EXPIRED('x'),
  /** Destroyed after its last passphrase attempt failed. */
  BURNED('b'),
  /** Deleted early with its deletion token. */
  DELETED('d');

  private final char code;

  EventType(char code) {
    this.code = code;
  }

  /** One letter naming the type in stores ({@code c o x b d}); stable across versions. */
  public char code() {
    return code;
  }

  /** The type with this {@link #code()}. */
  public static EventType ofCode(char c) {
    for (EventType t : values()) {
      if (t.code == c) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event code " + c);
  }

  /** The name on the wire: {@code secret.opened}, ... */
  public String wireName() {
    return "secret." + name().toLowerCase(Locale.ROOT);
  }

  /** The type with this wire name ({@code secret.opened}). */
  public static EventType ofWireName(String wire) {
    for (EventType t : values()) {
      if (t.wireName().equals(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event " + wire);
  }

  /** The end a stored trace records ({@link SecretState#OPENED}, DELETED, BURNED) as an event. */
  public static EventType ofEnd(SecretState how) {
    return switch (how) {
      case OPENED -> OPENED;
      case DELETED -> DELETED;
      case BURNED -> BURNED;
      case EXPIRED -> EXPIRED;
      case WAITING -> throw new IllegalArgumentException("waiting is not an end");
    };
  }
}
