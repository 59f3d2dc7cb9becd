package io.onetimeshare.examples.server.signin;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the sign-in's cookies: a JWT encrypted with AES-256-GCM under a key of the operator's (JWE {@code dir}), so the
 * browser can neither read nor change what it carries, and any instance with the same key accepts it. Authenticated
 * encryption is the signature: a changed byte fails to decrypt. Each cookie names its purpose ({@code use}), so a
 * login cookie is never accepted as a session, and carries its expiry, checked here.
 */
public final class SessionSeal {
  private final DirectEncrypter encrypter;
  private final DirectDecrypter decrypter;
  private final Clock clock;

  /** A seal whose key is derived from {@code secret} (SHA-256 of a fixed label and the operator's key material). */
  public SessionSeal(byte[] secret, Clock clock) {
    SecretKeySpec key = new SecretKeySpec(derive(secret), "AES");
    try {
      this.encrypter = new DirectEncrypter(key);
      this.decrypter = new DirectDecrypter(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("AES-256-GCM is not available", e);
    }
    this.clock = clock;
  }

  private static byte[] derive(byte[] secret) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update("onetimeshare session cookie v1\n".getBytes(StandardCharsets.US_ASCII));
      d.update(secret);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code claims} sealed for {@code use}, valid until {@code expires}. */
  public String seal(String use, JWTClaimsSet claims, Instant expires) {
    JWTClaimsSet all = new JWTClaimsSet.Builder(claims).claim("use", use).issueTime(Date.from(clock.instant()))
        .expirationTime(Date.from(expires)).build();
    EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), all);
    try {
      jwt.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot seal a cookie", e);
    }
    return jwt.serialize();
  }

  /** The claims of a cookie sealed for {@code use} with this key and not expired; empty for anything else. */
  public Optional<JWTClaimsSet> open(String use, String sealed) {
    if (sealed.length() > 8192) {
      return Optional.empty();
    }
    try {
      EncryptedJWT jwt = EncryptedJWT.parse(sealed);
      if (!JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm())
          || !EncryptionMethod.A256GCM.equals(jwt.getHeader().getEncryptionMethod())) {
        return Optional.empty();
      }
      jwt.decrypt(decrypter);
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date exp = c.getExpirationTime();
      if (!use.equals(c.getStringClaim("use")) || exp == null || !exp.toInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(c);
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty(); // tampered, another key (before a rotation), or not ours
    }
  }
}
