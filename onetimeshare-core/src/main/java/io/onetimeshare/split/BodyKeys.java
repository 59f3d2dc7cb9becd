package io.onetimeshare.split;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a body lies in the body store: {@code b/<minute>/<name>}, the minute its deadline passes (its secret's expiry
 * plus {@code grace}; zero-padded, so keys sort by deadline and a sweeper lists only what is due), then 32 characters
 * of a digest of the id and the deletion token's hash (which only the records hold): no id a log would reveal.
 */
record BodyKeys(Duration grace) {
  static final String PREFIX = "b/";

  String of(SecretRecord r) {
    return of(r.id(), r.expiresAt(), r.deleteTokenHash());
  }

  /** An upload's body: the key its secret will have. */
  String of(PendingUpload u) {
    return of(u.id(), u.expiresAt(), u.deleteTokenHash());
  }

  private String of(String id, Instant expiresAt, byte[] deleteTokenHash) {
    long minute = expiresAt.plus(grace).getEpochSecond() / 60 + 1;
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update("onetimeshare/v1/body-key\n".getBytes(StandardCharsets.US_ASCII));
      d.update(id.getBytes(StandardCharsets.US_ASCII));
      d.update(deleteTokenHash);
      String name = Base64.getUrlEncoder().withoutPadding().encodeToString(d.digest()).substring(0, 32);
      return PREFIX + String.format("%010d", minute) + "/" + name;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first key not due at {@code now}. */
  static String bound(Instant now) {
    return PREFIX + String.format("%010d", now.getEpochSecond() / 60 + 1);
  }
}
