package io.onetimeshare.servlet.internal;

import io.onetimeshare.InvalidArgumentException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides which client a request comes from, for rate limits and budgets: the peer address, unless the peer is a
 * configured trusted proxy, in which case the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 * Every X-Forwarded-For header line counts, in order (a proxy may append its own line instead of extending the last
 * one). The result is normalised: an IPv4-mapped IPv6 address is its IPv4 address, text is canonical, and an IPv6
 * client is its /64 network (configurable), since one subscriber gets a whole /64 and could otherwise walk through
 * 2^64 buckets.
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
  private final int ipv6Prefix;

  private TrustedProxies(List<Cidr> trusted, int ipv6Prefix) {
    this.trusted = trusted;
    this.ipv6Prefix = ipv6Prefix;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of(), 64);
  }

  /** The same proxies, with IPv6 clients grouped by their first {@code bits} bits (default 64; 128 = one address). */
  public TrustedProxies withIpv6Prefix(int bits) {
    if (bits < 32 || bits > 128) {
      throw new InvalidArgumentException("The IPv6 client prefix length must be between 32 and 128.");
    }
    return new TrustedProxies(trusted, bits);
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
    return new TrustedProxies(List.copyOf(out), 64);
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

  /** Whether {@code address} is a literal address inside one of the trusted ranges. */
  public boolean isTrusted(String address) {
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

  /** The client for rate limiting, from the peer address and every X-Forwarded-For line (in order). */
  public String clientOf(String remoteAddr, List<String> forwardedFor) {
    // every address is parsed once (this runs for every request, in the server's thread limit and the servlet)
    byte[] peer = literal(remoteAddr);
    if (peer == null) {
      return remoteAddr;
    }
    if (forwardedFor.isEmpty() || trusted.isEmpty() || !contains(peer)) {
      return format(peer);
    }
    List<String> hops = new ArrayList<>();
    for (String line : forwardedFor) {
      for (String h : line.split(",")) {
        hops.add(h.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = literal(hops.get(i));
      if (hop == null) {
        return format(peer); // garbage in the header: do not trust any of it
      }
      if (!contains(hop)) {
        return format(hop);
      }
    }
    return format(peer);
  }

  private boolean contains(byte[] a) {
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The client for one X-Forwarded-For value (tests and single-line callers). */
  public String clientOf(String remoteAddr, @Nullable String forwardedFor) {
    return clientOf(remoteAddr, forwardedFor == null ? List.of() : List.of(forwardedFor));
  }

  /** Canonical text of a parsed address; IPv6 reduced to its network of {@code ipv6Prefix} bits. */
  private String format(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    int full = ipv6Prefix / 8;
    for (int i = full; i < 16; i++) {
      a[i] = i == full && ipv6Prefix % 8 != 0 ? (byte) (a[i] & (0xff << (8 - ipv6Prefix % 8))) : 0;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        b.append(':');
      }
      b.append(Integer.toHexString((a[i] & 0xff) << 8 | (a[i + 1] & 0xff)));
    }
    return ipv6Prefix == 128 ? b.toString() : b.append('/').append(ipv6Prefix).toString();
  }
}
