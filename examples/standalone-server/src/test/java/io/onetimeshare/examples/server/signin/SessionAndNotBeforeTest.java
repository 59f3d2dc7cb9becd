package io.onetimeshare.examples.server.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 36, finding 8, the parts a real provider cannot show: a token whose {@code nbf} lies ahead is refused (Keycloak
 * issues none, so a provider of this test's own, with its own key on loopback, signs them), and a session cookie of
 * the old format (its allow decision sealed in) holds no identity, so its holder signs in again.
 */
class SessionAndNotBeforeTest {
  static HttpServer jwks;
  static RSAKey key;
  static OIDCProviderMetadata meta;
  static final String ISSUER = "http://127.0.0.1/test-issuer";

  @BeforeAll
  static void provider() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    jwks.createContext("/jwks", x -> {
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    jwks.start();
    meta = new OIDCProviderMetadata(new Issuer(ISSUER), List.of(SubjectType.PUBLIC),
        URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"));
    meta.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
  }

  @AfterAll
  static void stop() {
    jwks.stop(0);
  }

  private static String token(String nonce, Date nbf) throws Exception {
    Date now = new Date();
    JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(ISSUER).audience("ots").subject("s-1")
        .claim("email", "alice@example.com").claim("email_verified", true).claim("nonce", nonce).issueTime(now)
        .expirationTime(new Date(now.getTime() + 300_000));
    if (nbf != null) {
      c.notBeforeTime(nbf);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT)
        .build(), c.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void aTokenNotValidYetIsRefusedAndOneWithinTheSkewPasses() throws Exception {
    IdTokenCheck check = new IdTokenCheck(meta, "ots", "groups", Duration.ofSeconds(60));
    String n1 = UUID.randomUUID().toString();
    assertNotNull(check.check(token(n1, null), n1), "this provider's tokens pass: the refusal below is the nbf's");
    String n2 = UUID.randomUUID().toString();
    IdTokenCheck.Refused r = assertThrows(IdTokenCheck.Refused.class,
        () -> check.check(token(n2, new Date(System.currentTimeMillis() + 3_600_000)), n2));
    assertTrue(r.getMessage().contains("not valid yet"), r.getMessage());
    String n3 = UUID.randomUUID().toString();
    assertEquals("alice@example.com", check.check(token(n3, new Date(System.currentTimeMillis() + 30_000)), n3)
        .name(), "within the clock skew");
  }

  @Test
  void anOldSessionCookieHoldsNoIdentityAndANewOneHoldsTheClaims() {
    JWTClaimsSet old = new JWTClaimsSet.Builder().subject("s-1").claim("name", "alice@example.com")
        .claim("refusal", "").build(); // what 0.3 sealed: the decision, no claims to decide on, no id to revoke
    assertNull(OidcSignIn.identity(old));
    JWTClaimsSet now = new JWTClaimsSet.Builder().subject("s-1").claim("v", 2L).jwtID("AAAAAAAAAAAAAAAAAAAAAA")
        .claim("name", "alice@example.com").claim("email", "alice@example.com").claim("ev", true)
        .claim("groups", List.of("ots-creators")).build();
    Identity who = OidcSignIn.identity(now);
    assertNotNull(who);
    assertEquals(List.of("ots-creators"), who.groups());
    assertTrue(who.emailVerified());
  }
}
