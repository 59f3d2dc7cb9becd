package io.onetimeshare.servlet.internal;

import io.onetimeshare.InvalidArgumentException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides which address a request comes from: the peer address, unless the peer is a configured trusted proxy, in
 * which case the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 */
public final class TrustedProxies {
  private record Cidr(byte[] net, int bits) {
    boolean contains(byte[] a) {
      if (a.length != net.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != net[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (net[full] & mask);
    }
  }

  private static final java.util.regex.Pattern ADDRESS_CHARS = java.util.regex.Pattern.compile("[0-9a-fA-F:.%]+");
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private final List<Cidr> trusted;

  private TrustedProxies(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /** Parses a comma-separated list of IP addresses and CIDR ranges (literal addresses only, never host names). */
  public static TrustedProxies parse(String spec) {
    List<Cidr> out = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String s = raw.trim();
      if (s.isEmpty()) {
        continue;
      }
      String addr = s;
      int bits = -1;
      int slash = s.indexOf('/');
      if (slash >= 0) {
        addr = s.substring(0, slash);
        try {
          bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new InvalidArgumentException("Trusted proxy '" + s + "' has a bad prefix length.");
        }
      }
      byte[] b = literal(addr);
      if (b == null) {
        throw new InvalidArgumentException("Trusted proxy '" + s + "' is not an IP address or CIDR range.");
      }
      if (bits < 0) {
        bits = b.length * 8;
      }
      if (bits > b.length * 8) {
        throw new InvalidArgumentException("Trusted proxy '" + s + "' has a bad prefix length.");
      }
      out.add(new Cidr(b, bits));
    }
    return new TrustedProxies(List.copyOf(out));
  }

  /** The bytes of a literal IPv4 or IPv6 address, or null (no DNS lookups, ever). */
  static byte @Nullable [] literal(String s) {
    String t = s.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || t.length() > 45 || !ADDRESS_CHARS.matcher(t).matches()) {
      return null;
    }
    if (t.indexOf(':') < 0 && !IPV4.matcher(t).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  boolean isTrusted(String address) {
    byte[] a = literal(address);
    if (a == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The client address for rate limiting. */
  public String clientOf(String remoteAddr, @Nullable String forwardedFor) {
    if (forwardedFor == null || trusted.isEmpty() || !isTrusted(remoteAddr)) {
      return remoteAddr;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (literal(hop) == null) {
        return remoteAddr; // garbage in the header: do not trust any of it
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return remoteAddr;
  }
}
