package io.onetimeshare.servlet;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who creates a secret, as a {@link CreatePolicy} established it (issue 21).
 *
 * @param kind {@code anonymous}, {@code token} (an API token), {@code user} (signed in with OpenID Connect) or
 *     {@code principal} (the container's authenticated user)
 * @param name the token's name, the user's e-mail address or name, the principal's name; empty for anonymous
 * @since 0.3
 */
public record Creator(String kind, String name) {
  private static final Creator ANONYMOUS = new Creator("anonymous", "");

  public Creator {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (!kind.matches("[a-z]{1,16}")) {
      throw new IllegalArgumentException("a creator kind is 1-16 lower-case letters");
    }
  }

  public static Creator anonymous() {
    return ANONYMOUS;
  }

  public static Creator token(String name) {
    return new Creator("token", name);
  }

  public static Creator user(String name) {
    return new Creator("user", name);
  }

  public static Creator principal(String name) {
    return new Creator("principal", name);
  }

  public boolean isAnonymous() {
    return kind.equals("anonymous");
  }

  /** How the audit trail names them: {@code token:ci}, {@code user:alice@example.com}, {@code anonymous}. */
  public String display() {
    return isAnonymous() ? kind : kind + ":" + name;
  }

  /**
   * The identity the rate limits charge, or null for the client's address: a token and a signed-in person have their
   * own budgets wherever they connect from.
   */
  public @Nullable String rateKey() {
    return isAnonymous() ? null : display();
  }
}
