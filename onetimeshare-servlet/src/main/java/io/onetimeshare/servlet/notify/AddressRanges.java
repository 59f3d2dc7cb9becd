package io.onetimeshare.servlet.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses a webhook may never reach unless the operator names their range (issue 22, "no server-side request
 * forgery"): every special-purpose range of the IANA IPv4 and IPv6 registries that is not the public Internet, and
 * the IPv6 forms that carry an IPv4 address inside (mapped, compatible, NAT64, 6to4), judged by the address inside.
 * Teredo is refused outright: the client address in it is obfuscated and it tunnels to anywhere.
 */
final class AddressRanges {
  /** A range: network address and prefix length. */
  record Cidr(byte[] network, int prefix, String label) {
    static Cidr parse(String cidr, String label) {
      int slash = cidr.indexOf('/');
      if (slash < 0) {
        throw new IllegalArgumentException("not a CIDR range: " + cidr);
      }
      String host = cidr.substring(0, slash);
      if (!host.matches("[0-9a-fA-F:.]+")) { // literal addresses only: never a DNS lookup here
        throw new IllegalArgumentException("not an address: " + host);
      }
      byte[] net;
      try {
        net = InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address: " + host, e);
      }
      if (net.length == 4 && host.contains(":")) { // the JDK turns ::ffff:a.b.c.d into an IPv4 address
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(net, 0, mapped, 12, 4);
        net = mapped;
      }
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      if (prefix < 0 || prefix > net.length * 8) {
        throw new IllegalArgumentException("bad prefix length in " + cidr);
      }
      return new Cidr(net, prefix, label);
    }

    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && Arrays.equals(network, c.network) && prefix == c.prefix;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private static final List<Cidr> V4 = List.of(
      Cidr.parse("0.0.0.0/8", "an unspecified (\"this network\") address"),
      Cidr.parse("10.0.0.0/8", "a private address"),
      Cidr.parse("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
      Cidr.parse("127.0.0.0/8", "a loopback address"),
      Cidr.parse("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
      Cidr.parse("172.16.0.0/12", "a private address"),
      Cidr.parse("192.0.0.0/24", "a reserved (IETF protocol) address"),
      Cidr.parse("192.0.2.0/24", "a reserved (documentation) address"),
      Cidr.parse("192.88.99.0/24", "a reserved (6to4 relay) address"),
      Cidr.parse("192.168.0.0/16", "a private address"),
      Cidr.parse("198.18.0.0/15", "a reserved (benchmarking) address"),
      Cidr.parse("198.51.100.0/24", "a reserved (documentation) address"),
      Cidr.parse("203.0.113.0/24", "a reserved (documentation) address"),
      Cidr.parse("224.0.0.0/4", "a multicast address"),
      Cidr.parse("240.0.0.0/4", "a reserved address"));

  private static final List<Cidr> V6 = List.of(
      Cidr.parse("::/128", "an unspecified address"),
      Cidr.parse("::1/128", "a loopback address"),
      Cidr.parse("100::/64", "a reserved (discard) address"),
      Cidr.parse("2001:db8::/32", "a reserved (documentation) address"),
      Cidr.parse("2001:2::/48", "a reserved (benchmarking) address"),
      Cidr.parse("2001:10::/28", "a reserved (ORCHID) address"),
      Cidr.parse("2001:20::/28", "a reserved (ORCHID) address"),
      Cidr.parse("fc00::/7", "a unique-local (private) address"),
      Cidr.parse("fe80::/10", "a link-local address"),
      Cidr.parse("fec0::/10", "a site-local (private) address"),
      Cidr.parse("ff00::/8", "a multicast address"),
      Cidr.parse("5f00::/16", "a reserved (SRv6) address"),
      Cidr.parse("3fff::/20", "a reserved (documentation) address"));

  private static final Cidr TEREDO = Cidr.parse("2001::/32", "a Teredo tunnel address");
  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96", "IPv4-mapped");
  private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96", "IPv4-translated");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96", "IPv4-compatible");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96", "NAT64");
  private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48", "local NAT64");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16", "6to4");

  private AddressRanges() {}

  /**
   * Why {@code a} must not be reached (a phrase such as "a loopback address"), or null when it is an ordinary public
   * address. {@code allowed} ranges (the operator's) are checked first and win.
   */
  static @Nullable String refusal(InetAddress a, List<Cidr> allowed) {
    byte[] b = a.getAddress();
    for (Cidr c : allowed) {
      if (c.contains(b)) {
        return null;
      }
    }
    if (a instanceof Inet4Address) {
      return v4(b);
    }
    if (!(a instanceof Inet6Address)) {
      return "not an IP address";
    }
    if (TEREDO.contains(b)) {
      return TEREDO.label();
    }
    if (NAT64_LOCAL.contains(b)) {
      // issue 36, finding 4: RFC 8215's local-use prefix may embed the IPv4 address at any of RFC 6052's offsets
      // (a /48 puts it in bytes 6-7 and 9-10, not 12-15), so no one offset can be judged: refused whole, unless allowed
      return "a local-use NAT64 address (64:ff9b:1::/48)";
    }
    for (Cidr c : List.of(MAPPED, TRANSLATED, NAT64)) {
      if (c.contains(b)) {
        return embedded(c, Arrays.copyOfRange(b, 12, 16), allowed);
      }
    }
    if (SIX_TO_FOUR.contains(b)) {
      return embedded(SIX_TO_FOUR, Arrays.copyOfRange(b, 2, 6), allowed);
    }
    for (Cidr c : V6) {
      if (c.contains(b)) {
        return c.label();
      }
    }
    if (COMPATIBLE.contains(b)) { // ::a.b.c.d (deprecated), after :: and ::1 above
      return embedded(COMPATIBLE, Arrays.copyOfRange(b, 12, 16), allowed);
    }
    return null;
  }

  private static @Nullable String embedded(Cidr form, byte[] v4, List<Cidr> allowed) {
    for (Cidr c : allowed) {
      if (c.contains(v4)) {
        return null;
      }
    }
    String why = v4(v4);
    return why == null ? null : why + ", carried in an IPv6 address (" + form.label() + ")";
  }

  private static @Nullable String v4(byte[] b) {
    if ((b[0] & 0xff) == 255 && (b[1] & 0xff) == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) {
      return "the broadcast address";
    }
    for (Cidr c : V4) {
      if (c.contains(b)) {
        return c.label();
      }
    }
    return null;
  }
}
