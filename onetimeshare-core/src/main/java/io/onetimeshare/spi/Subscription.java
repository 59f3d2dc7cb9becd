package io.onetimeshare.spi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who is told what about one secret (issue 22): the targets the facade chose when it was created (the operator's
 * endpoints that want its events, the sender's callback). A vault stores it with the secret and records, atomically
 * with the change that causes it, one event per change a target wants; an empty subscription costs nothing.
 *
 * @param targets where events go, names unique
 * @since 0.3
 */
public record Subscription(List<NotifyTarget> targets) {
  /** Nobody is told anything. */
  public static final Subscription NONE = new Subscription(List.of());

  public Subscription {
    targets = List.copyOf(targets);
    if (targets.stream().map(NotifyTarget::name).distinct().count() != targets.size()) {
      throw new IllegalArgumentException("target names must be unique");
    }
  }

  public boolean isEmpty() {
    return targets.stream().allMatch(t -> t.events().isEmpty());
  }

  /** Whether any target wants {@code type}. */
  public boolean wants(EventType type) {
    for (NotifyTarget t : targets) {
      if (t.events().contains(type)) {
        return true;
      }
    }
    return false;
  }

  /** The targets that want {@code type}. */
  public List<NotifyTarget> targetsFor(EventType type) {
    return targets.stream().filter(t -> t.events().contains(type)).toList();
  }

  /** The target named {@code name}, if any. */
  public java.util.Optional<NotifyTarget> target(String name) {
    return targets.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * A compact text form for stores: one line per target, {@code name SP event-letters [SP url-base64url SP
   * secret-base64url]}. No line breaks or spaces can occur inside a field.
   */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    for (NotifyTarget t : targets) {
      StringBuilder codes = new StringBuilder();
      for (EventType e : EventType.values()) {
        if (t.events().contains(e)) {
          codes.append(e.code());
        }
      }
      sb.append(t.name()).append(' ').append(codes.length() == 0 ? "-" : codes);
      if (t.url() != null) {
        sb.append(' ').append(b64.encodeToString(t.url().getBytes(StandardCharsets.UTF_8))).append(' ')
            .append(b64.encodeToString(Objects.requireNonNull(t.signingSecret())));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Reads {@link #encode()}'s form. */
  public static Subscription decode(String s) {
    List<NotifyTarget> out = new ArrayList<>();
    Base64.Decoder b64 = Base64.getUrlDecoder();
    for (String line : s.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(" ");
      if (f.length != 2 && f.length != 4) {
        throw new IllegalArgumentException("not a subscription");
      }
      Set<EventType> events = EnumSet.noneOf(EventType.class);
      if (!f[1].equals("-")) {
        for (char c : f[1].toCharArray()) {
          events.add(EventType.ofCode(c));
        }
      }
      out.add(f.length == 2 ? NotifyTarget.endpoint(f[0], events)
          : new NotifyTarget(f[0], events, new String(b64.decode(f[2]), StandardCharsets.UTF_8), b64.decode(f[3])));
    }
    return out.isEmpty() ? NONE : new Subscription(out);
  }
}
