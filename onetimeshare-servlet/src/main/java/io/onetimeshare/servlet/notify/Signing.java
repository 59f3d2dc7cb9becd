package io.onetimeshare.servlet.notify;

import io.onetimeshare.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme"): HMAC-SHA256 with the secret
 * (the base64 after {@code whsec_}) over {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code
 * webhook-signature: v1,<base64>}.
 */
final class Signing {
  static final String PREFIX = "whsec_";

  private Signing() {}

  /** The key of a {@code whsec_...} secret: at least 24 bytes. */
  static byte[] key(String secret) {
    if (!secret.startsWith(PREFIX)) {
      throw new InvalidArgumentException("A signing secret starts with whsec_ followed by base64 (e.g. made with: "
          + "echo whsec_$(head -c 32 /dev/urandom | base64)).");
    }
    byte[] k;
    try {
      k = Base64.getDecoder().decode(secret.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("The signing secret after whsec_ is not base64.");
    }
    if (k.length < 24) {
      throw new InvalidArgumentException("A signing secret must hold at least 24 random bytes (32 recommended).");
    }
    return k;
  }

  /** The body: what the sender already knows and nothing more (event, id, time, expiry). */
  static byte[] payload(io.onetimeshare.spi.Delivery d) {
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ISO_INSTANT;
    return ("{\"type\":\"" + d.eventName() + "\",\"timestamp\":\"" + iso.format(d.occurredAt())
        + "\",\"data\":{\"id\":\"" + d.secretId() + "\",\"event\":\"" + d.eventId() + "\",\"expiresAt\":\""
        + iso.format(d.expiresAt()) + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  /** The three Standard Webhooks headers of one attempt at {@code timestamp} (Unix seconds). */
  static java.util.Map<String, String> headers(byte[] key, String id, long timestamp, byte[] body) {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("webhook-id", id);
    h.put("webhook-timestamp", Long.toString(timestamp));
    h.put("webhook-signature", sign(key, id, timestamp, body));
    return h;
  }

  /** {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}. */
  static String sign(byte[] key, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing", e);
    }
  }
}
