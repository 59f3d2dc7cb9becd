package io.onetimeshare.examples.server.signin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's OpenID Connect settings (issue 21). {@link #toString()} never shows the client secret or the session
 * key.
 *
 * @param issuer the provider's issuer URL; everything else is found by discovery
 * @param clientId this server's client id at the provider
 * @param clientSecret its client secret (from a file or the environment, never the command line)
 * @param scopes requested scopes ({@code openid} is always among them)
 * @param allowedDomains e-mail domains that may create (empty: any), only with {@code email_verified}
 * @param allowedGroups group or role values of which one is needed (empty: none needed)
 * @param groupsClaim the claim holding them; a dotted path reaches inside objects ({@code realm_access.roles})
 * @param sessionKey key material for the cookies; the same on every instance, or sessions work on one only
 * @param sessionKeyConfigured whether the key came from configuration (else it is random for this process)
 * @param sessionLifetime how long a sign-in lasts
 * @param publicUrl the external base URL, if configured (redirect URI and the same-origin check use it)
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, List<String> scopes,
    List<String> allowedDomains, List<String> allowedGroups, String groupsClaim, byte[] sessionKey,
    boolean sessionKeyConfigured, Duration sessionLifetime, Optional<URI> publicUrl) {
  public OidcSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    scopes = List.copyOf(scopes);
    allowedDomains = allowedDomains.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).toList();
    allowedGroups = List.copyOf(allowedGroups);
    Objects.requireNonNull(groupsClaim, "groupsClaim");
    sessionKey = sessionKey.clone();
    Objects.requireNonNull(sessionLifetime, "sessionLifetime");
    Objects.requireNonNull(publicUrl, "publicUrl");
  }

  @Override
  public byte[] sessionKey() {
    return sessionKey.clone();
  }

  @Override
  public String toString() {
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=***, scopes=" + scopes
        + ", allowedDomains=" + allowedDomains + ", allowedGroups=" + allowedGroups + ", groupsClaim=" + groupsClaim
        + ", sessionKey=***, sessionLifetime=" + sessionLifetime + "]";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
