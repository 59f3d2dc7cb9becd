package io.onetimeshare.servlet.notify;

import io.onetimeshare.InvalidArgumentException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where webhooks may go (issue 22): {@code https} only, to public addresses, on port 443, unless the operator allows
 * {@code http}, names address ranges for internal receivers, or allows other ports. A URL is checked for its form
 * when a secret is created and again, with a fresh DNS answer, before every attempt; the attempt connects to the
 * address that was checked (no second lookup), and never follows a redirect.
 *
 * @since 0.3
 */
public final class AddressPolicy {
  /** The default: https, public addresses, port 443. */
  public static final AddressPolicy STRICT = builder().build();

  /** Resolves a host name to its addresses (the system resolver; tests give their own). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A URL that passed: where to connect (every address the name had was checked), and what to ask for. */
  record Checked(URI uri, String host, int port, boolean tls, List<InetAddress> addresses) {}

  private final boolean allowHttp;
  private final List<AddressRanges.Cidr> allowed;
  private final Set<Integer> ports;
  private final boolean anyPort;
  private final Resolver resolver;

  private AddressPolicy(Builder b) {
    this.allowHttp = b.allowHttp;
    this.allowed = List.copyOf(b.allowed);
    this.ports = Set.copyOf(b.ports);
    this.anyPort = b.anyPort;
    this.resolver = b.resolver;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether plain {@code http} URLs are allowed. */
  public boolean allowsHttp() {
    return allowHttp;
  }

  /**
   * Checks a URL as {@link Notifier} will before each attempt (form, then every address its host resolves to now);
   * throws {@link InvalidArgumentException} with a reason a person can act on.
   */
  public void checkUrl(String url) {
    check(url);
  }

  /** The one refusal a sender's callback gets for any address this server does not call (issue 36, finding 3). */
  static final String NOT_CALLED = "The notification URL's host is not one this server sends notifications to.";

  /**
   * Checks a sender's callback URL when the secret is created (issue 36, finding 3): its form, and an IP literal's
   * range, but no DNS lookup. A lookup here would be made for anyone who asks (even a client already over its budget)
   * and its answers ("does not resolve", "a private address") would map internal names for them. Whether a name
   * points somewhere this server calls is decided when each notification is sent ({@link Notifier}), where a refusal
   * tells the sender nothing. Every address that is not called gets the same message.
   */
  public void checkCallback(String url) {
    URI u = checkForm(url);
    String host = u.getHost();
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (literal(bare)) {
      InetAddress a;
      try {
        a = InetAddress.getByName(bare); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw new InvalidArgumentException(NOT_CALLED);
      }
      if (AddressRanges.refusal(a, allowed) != null) {
        throw new InvalidArgumentException(NOT_CALLED);
      }
    } else if (!bare.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?")
        || bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
      throw new InvalidArgumentException(NOT_CALLED);
    }
  }

  /** Checks a URL's form: scheme, host, port; throws {@link InvalidArgumentException} with the reason. */
  URI checkForm(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidArgumentException("The notification URL is not a valid URL.");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new InvalidArgumentException(allowHttp ? "The notification URL must start with https:// or http://."
          : "The notification URL must start with https:// (this server sends notifications over TLS only).");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new InvalidArgumentException("The notification URL has no host name.");
    }
    if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
      throw new InvalidArgumentException("The notification URL must not carry a user name, password or #fragment.");
    }
    int port = port(u, scheme);
    if (!anyPort && !ports.contains(port)) {
      throw new InvalidArgumentException("The notification URL's port " + port + " is not allowed here (allowed: "
          + new TreeSet<>(ports) + ").");
    }
    return u;
  }

  private static int port(URI u, String scheme) {
    return u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
  }

  /**
   * Checks a URL fully: its form, then every address its host resolves to now. Throws {@link
   * InvalidArgumentException} with the reason a person can act on.
   */
  Checked check(String url) {
    URI u = checkForm(url);
    String host = u.getHost();
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] all;
    try {
      all = literal(bare) ? new InetAddress[] {InetAddress.getByName(bare)} : resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new InvalidArgumentException("The notification URL's host name does not resolve.");
    }
    if (all == null || all.length == 0) {
      throw new InvalidArgumentException("The notification URL's host name does not resolve.");
    }
    for (InetAddress a : all) {
      String why = AddressRanges.refusal(a, allowed);
      if (why != null) {
        throw new InvalidArgumentException("The notification URL points to " + why + ", which this server does "
            + "not call.");
      }
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    return new Checked(u, bare, port(u, scheme), scheme.equals("https"), List.of(all));
  }

  /** An IP literal (checked without any lookup; getByName parses it and never asks DNS). */
  private static boolean literal(String h) {
    return h.contains(":") || h.matches("[0-9.]+");
  }

  /** Builds an {@link AddressPolicy}. */
  public static final class Builder {
    private boolean allowHttp;
    private final List<AddressRanges.Cidr> allowed = new ArrayList<>();
    private final Set<Integer> ports = new TreeSet<>(Set.of(443));
    private boolean anyPort;
    private Resolver resolver = InetAddress::getAllByName;

    private Builder() {}

    /** Allows plain {@code http} (and port 80): for internal receivers and tests. Default: off. */
    public Builder allowHttp(boolean allow) {
      this.allowHttp = allow;
      if (allow) {
        ports.add(80);
      }
      return this;
    }

    /**
     * Allows a range otherwise refused (e.g. {@code 10.1.2.0/24} for a receiver on the internal network, {@code
     * 127.0.0.1/32} for a test), written as a literal address and prefix length.
     */
    public Builder allowRange(String cidr) {
      try {
        allowed.add(AddressRanges.Cidr.parse(Objects.requireNonNull(cidr, "cidr"), cidr));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("Not an address range (such as 10.0.0.0/8): " + cidr);
      }
      return this;
    }

    /** Allows a port besides 443 (and 80 with http). */
    public Builder allowPort(int port) {
      if (port < 1 || port > 65535) {
        throw new InvalidArgumentException("A port is 1 to 65535.");
      }
      ports.add(port);
      return this;
    }

    /** Allows every port. Default: off. */
    public Builder allowAnyPort(boolean any) {
      this.anyPort = any;
      return this;
    }

    /** The resolver (default: the system's). */
    public Builder resolver(Resolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    public AddressPolicy build() {
      return new AddressPolicy(this);
    }
  }
}
