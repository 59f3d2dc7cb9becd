package io.onetimeshare.examples.server.signin;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a validated ID token says signed in.
 *
 * @param subject the provider's id for them
 * @param name what the page and the audit trail show: the e-mail address, else the preferred user name, else the subject
 * @param email the e-mail address, if the token has one
 * @param emailVerified whether the provider says it verified that address
 * @param groups the group or role claim's values (empty without one)
 */
public record Identity(String subject, String name, @Nullable String email, boolean emailVerified,
    List<String> groups) {
  public Identity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
  }
}
