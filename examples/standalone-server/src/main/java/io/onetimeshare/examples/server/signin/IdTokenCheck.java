package io.onetimeshare.examples.server.signin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Validates an ID token completely, by Nimbus' {@link IDTokenValidator}: the signature by a key of the provider's JWKS
 * (fetched, cached and fetched again for an unknown key id, so a key rotation at the provider just works), one
 * expected algorithm (an unsigned {@code alg: none} token is refused), the issuer, the audience (this client), expiry
 * and issue time within the clock skew, and the nonce this browser's login was started with. A nonce is accepted once:
 * a replayed token is refused even with its nonce.
 */
public final class IdTokenCheck {
  private final IDTokenValidator validator;
  private final String groupsClaim;
  private final Duration clockSkew;
  private final java.time.Clock clock;
  private final Cache<String, Boolean> usedNonces = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(30))
      .maximumSize(200_000).build();

  /** A check for tokens of {@code provider} issued to {@code clientId}; {@code groupsClaim} may be a dotted path. */
  public IdTokenCheck(OIDCProviderMetadata provider, String clientId, String groupsClaim, Duration clockSkew) {
    this(provider, clientId, groupsClaim, clockSkew, java.time.Clock.systemUTC());
  }

  /** As above, judging {@code nbf} by {@code clock}. */
  public IdTokenCheck(OIDCProviderMetadata provider, String clientId, String groupsClaim, Duration clockSkew,
      java.time.Clock clock) {
    this.clockSkew = clockSkew;
    this.clock = clock;
    try {
      // the JWKS is fetched with timeouts and a size cap: a provider outage never holds a request for long
      DefaultResourceRetriever http = new DefaultResourceRetriever(5_000, 5_000, 256 * 1024);
      JWSAlgorithm alg = algorithm(provider);
      this.validator = new IDTokenValidator(provider.getIssuer(), new ClientID(clientId), alg,
          provider.getJWKSetURI().toURL(), http);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("the provider's jwks_uri is not a URL", e);
    }
    validator.setMaxClockSkew((int) clockSkew.toSeconds());
    this.groupsClaim = groupsClaim;
  }

  /** RS256 when the provider offers it (every provider must), else the first asymmetric algorithm it lists. */
  private static JWSAlgorithm algorithm(OIDCProviderMetadata provider) {
    List<JWSAlgorithm> offered = provider.getIDTokenJWSAlgs();
    if (offered == null || offered.isEmpty() || offered.contains(JWSAlgorithm.RS256)) {
      return JWSAlgorithm.RS256;
    }
    for (JWSAlgorithm a : offered) {
      if (JWSAlgorithm.Family.SIGNATURE.contains(a)) {
        return a;
      }
    }
    throw new IllegalArgumentException("the provider signs ID tokens with no asymmetric algorithm: " + offered);
  }

  /** Thrown for a token that must not sign anyone in; the message says why, never the token. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }

    Refused(String message) {
      super(message);
    }
  }

  /** Who {@code idToken} signs in, if it is valid for this client and was issued for {@code nonce}. */
  public Identity check(String idToken, String nonce) throws Refused {
    IDTokenClaimsSet claims;
    try {
      JWT jwt = JWTParser.parse(idToken);
      claims = validator.validate(jwt, new Nonce(nonce));
    } catch (ParseException e) {
      throw new Refused("the ID token is not a JWT", e);
    } catch (BadJOSEException | JOSEException e) {
      throw new Refused("the ID token is not valid: " + e.getMessage(), e);
    }
    // issue 36, finding 8: Nimbus checks exp and iat but not nbf; a token not valid yet signs nobody in
    java.util.Date nbf = claims.getDateClaim("nbf");
    if (nbf != null && nbf.toInstant().isAfter(clock.instant().plus(clockSkew))) {
      throw new Refused("the ID token is not valid yet (nbf in the future beyond the clock skew)");
    }
    if (usedNonces.asMap().putIfAbsent(nonce, Boolean.TRUE) != null) {
      throw new Refused("the ID token's nonce was used already (a replayed sign-in)");
    }
    String email = claims.getStringClaim("email");
    Boolean verified = claims.getBooleanClaim("email_verified");
    String user = claims.getStringClaim("preferred_username");
    String sub = claims.getSubject().getValue();
    boolean emailVerified = verified != null && verified;
    // issue 36, finding 7: the name is what budgets and the audit trail are keyed on, so it is the e-mail address only
    // when the provider verified it and it is a real address; otherwise a name the person cannot choose to be someone
    // else's: the issuer and subject's digest, after the (user-editable) preferred user name as a hint
    String name = emailVerified && wellFormed(email) ? email
        : (user == null || user.isBlank() ? "user" : user) + " #" + digest(claims.getIssuer().getValue(), sub);
    return new Identity(sub, name, email, emailVerified, groups(claims.toJSONObject()));
  }

  /** An e-mail address with a local part, an {@code @} and a domain. */
  public static boolean wellFormed(@Nullable String email) {
    if (email == null) {
      return false;
    }
    int at = email.lastIndexOf('@');
    return at > 0 && at < email.length() - 1 && email.indexOf('@') == at && !email.contains(" ");
  }

  /** 12 hexadecimal digits naming one account of one provider. */
  static String digest(String issuer, String subject) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((issuer + "\n" + subject)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> groups(Map<String, Object> json) {
    Object at = json;
    for (String part : groupsClaim.split("\\.")) {
      if (!(at instanceof Map<?, ?> m)) {
        return List.of();
      }
      at = m.get(part);
    }
    List<String> out = new ArrayList<>();
    if (at instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof String s) {
          out.add(s.startsWith("/") ? s.substring(1) : s); // Keycloak's full group paths
        }
      }
    } else if (at instanceof String s) {
      out.add(s);
    }
    return out;
  }
}
