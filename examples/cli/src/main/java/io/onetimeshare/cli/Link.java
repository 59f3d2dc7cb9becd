package io.onetimeshare.cli;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A secret's link ({@code <server>/s/<id>#<key>}, no fragment for a passphrase secret) or a receipt link ({@code
 * <server>/r/<id>#<deletion token>}): the server's base, the id, and what the fragment carries.
 */
record Link(URI base, String id, @Nullable String fragment) {
  private static final Pattern FORM = Pattern.compile(
      "(https?://[^#?\\s]+?/)([sr])/([A-Za-z0-9_-]{22})/?(?:#([A-Za-z0-9_-]{43}))?");

  static Link parse(String text, char kind) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches() || m.group(2).charAt(0) != kind) {
      throw new CliException(Ots.USAGE, kind == 's'
          ? "That is not a secret's link (https://host/s/<id>#<key>)."
          : "That is not a receipt link (https://host/r/<id>#<token>).");
    }
    return new Link(URI.create(m.group(1)), m.group(3), m.group(4));
  }

  /** A receipt link given as an argument, pasted or piped, with its token checked to be there. */
  static Link receiptFrom(@Nullable String given) {
    Link r = parse(Terminal.link(given, "receipt link"), 'r');
    if (r.fragment() == null) {
      throw new CliException(Ots.USAGE, "This receipt link has no token after '#'; it was cut short.");
    }
    return r;
  }

  /** The deletion token of a receipt link. */
  String token() {
    return java.util.Objects.requireNonNull(fragment(), "token");
  }

  static String secret(URI base, String id, @Nullable String key) {
    return base + "s/" + id + (key == null ? "" : "#" + key);
  }

  static String receipt(URI base, String id, String token) {
    return base + "r/" + id + "#" + token;
  }
}
