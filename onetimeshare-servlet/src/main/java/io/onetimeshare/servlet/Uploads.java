package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.SecretKind;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.spi.Charge;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.servlet.internal.EncryptedSpool;
import io.onetimeshare.servlet.internal.MultipartReader;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/secrets}: one decoder per body kind (raw bytes with query options, JSON, multipart), each reading
 * under its cap and charging the client's byte budget, each ending in one {@link OneTimeShare#share} call so that a
 * refused or broken upload stores nothing.
 */
final class Uploads {
  private static final Pattern TTL = Pattern.compile("[0-9]{1,9}");
  /** Room for the multipart framing and the small parts (passphrase, ttl) besides the content. */
  private static final long MULTIPART_OVERHEAD = 64 * 1024;
  private final OneTimeShare ots;
  private final Bodies bodies;
  private final ClientLimits limits;

  private final io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks;

  Uploads(OneTimeShare ots, Bodies bodies, ClientLimits limits,
      io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks) {
    this.callbacks = callbacks;
    this.ots = ots;
    this.bodies = bodies;
    this.limits = limits;
  }

  /** Creates from any body framing; {@code client} is whose budgets pay, {@code creator} goes to the audit trail. */
  ShareReceipt share(HttpServletRequest req, String client, Creator creator, Charge.Batch charges, boolean prepaid)
      throws IOException {
    long max = ots.settings().maxContentBytes();
    return switch (Bodies.mediaType(req)) {
      case "application/octet-stream" -> createRaw(req, client, max, creator, charges, prepaid);
      case "application/json" -> createJson(req, client, creator, charges, prepaid);
      case "multipart/form-data" -> createMultipart(req, client, max, creator, charges, prepaid);
      default -> throw Problem.unsupportedMediaType(
          "Send multipart/form-data, application/json or application/octet-stream.");
    };
  }

  private ShareReceipt createRaw(HttpServletRequest req, String client, long max, Creator creator,
      Charge.Batch charges, boolean prepaid) throws IOException {
    ShareOptions.Builder o = ShareOptions.builder().creator(creator.display());
    Map<String, String> query = queryFields(req);
    applyTtl(o, query.get("ttl"));
    applyNotify(o, query.get("notify"), callbacks);
    String filename = Names.safeFilename(query.get("filename"));
    if (filename != null) {
      o.filename(filename);
    }
    String pass = Bodies.passphraseHeader(req);
    if (pass != null) {
      o.passphrase(pass);
    }
    return ots.share(limits.upload(req, client, max, prepaid), o.build(), SecretKind.FILE, charges);
  }

  private ShareReceipt createJson(HttpServletRequest req, String client, Creator creator, Charge.Batch charges,
      boolean prepaid) throws IOException {
    long cap = 2 * ots.settings().maxContentBytes() + 16384;
    JsonNode body = bodies.object(limits.upload(req, client, cap, prepaid));
    String text = Bodies.text(body, "text", true);
    if (text == null) {
      throw new InvalidArgumentException("The JSON body needs a \"text\" field.");
    }
    ShareOptions.Builder o = ShareOptions.builder().creator(creator.display());
    String pass = Bodies.text(body, "passphrase", false);
    if (pass != null) {
      o.passphrase(pass);
    }
    JsonNode ttl = body.get("ttl");
    if (ttl != null && !ttl.isNull()) {
      if (!ttl.isIntegralNumber() && !ttl.isTextual()) {
        throw new InvalidArgumentException("The ttl must be a whole number of seconds.");
      }
      applyTtl(o, ttl.asText());
    }
    applyNotify(o, Bodies.text(body, "notify", false), callbacks);
    return ots.share(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), o.build(), SecretKind.TEXT,
        charges);
  }

  private ShareReceipt createMultipart(HttpServletRequest req, String client, long max, Creator creator,
      Charge.Batch charges, boolean prepaid) throws IOException {
    MultipartReader mp = new MultipartReader(limits.upload(req, client, max + MULTIPART_OVERHEAD, prepaid),
        MultipartReader.boundaryOf(req.getContentType()), req.getContentLengthLong());
    ShareOptions.Builder o = ShareOptions.builder().creator(creator.display());
    EncryptedSpool spool = null;
    SecretKind kind = null;
    boolean sawPass = false;
    boolean sawTtl = false;
    boolean sawNotify = false;
    try {
      MultipartReader.Part p;
      while ((p = mp.next()) != null) {
        switch (p.name()) {
          case "text", "file" -> {
            if (kind != null) {
              throw new InvalidArgumentException("Send exactly one of the parts \"text\" and \"file\", not both.");
            }
            kind = p.name().equals("text") ? SecretKind.TEXT : SecretKind.FILE;
            String filename = kind == SecretKind.FILE ? Names.safeFilename(p.filename()) : null;
            if (filename != null) {
              o.filename(filename);
            }
            spool = EncryptedSpool.of(p.body(), max);
          }
          case "passphrase" -> {
            if (sawPass) {
              throw new InvalidArgumentException("The part \"passphrase\" appears twice.");
            }
            sawPass = true;
            String pass = field(p.body());
            if (!pass.isEmpty()) {
              o.passphrase(pass);
            }
          }
          case "notify" -> {
            if (sawNotify) {
              throw new InvalidArgumentException("The part \"notify\" appears twice.");
            }
            sawNotify = true;
            String url = field(p.body()).trim();
            applyNotify(o, url.isEmpty() ? null : url, callbacks);
          }
          case "ttl" -> {
            if (sawTtl) {
              throw new InvalidArgumentException("The part \"ttl\" appears twice.");
            }
            sawTtl = true;
            applyTtl(o, field(p.body()));
          }
          default -> {
            // unknown parts are ignored, as browsers may add some (e.g. submit buttons)
          }
        }
      }
      if (kind == null || spool == null) {
        throw new InvalidArgumentException("Send a part named \"text\" or \"file\" with the content.");
      }
      try (InputStream content = spool.open()) {
        return ots.share(content, o.build(), kind, charges);
      }
    } finally {
      if (spool != null) {
        spool.close();
      }
    }
  }

  private static String field(InputStream in) throws IOException {
    byte[] b = in.readNBytes(Bodies.MAX_FIELD + 1);
    if (b.length > Bodies.MAX_FIELD) {
      throw new InvalidArgumentException("A form field is longer than " + Bodies.MAX_FIELD + " bytes.");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** {@code ttl} and {@code filename} from the query string of a raw upload (UTF-8, percent-decoded). */
  private static Map<String, String> queryFields(HttpServletRequest req) {
    String q = req.getQueryString();
    if (q == null || q.isEmpty()) {
      return Map.of();
    }
    try {
      return Bodies.form(new ByteArrayInputStream(q.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A sender's callback URL (issue 22): refused unless the operator enabled callbacks, and checked against their
   * policy now (again before every delivery).
   */
  static void applyNotify(ShareOptions.Builder o, @Nullable String url,
      io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks) {
    if (url != null) {
      o.notify(checkedCallback(url, callbacks, "secret"));
    }
  }

  /** A callback URL the operator's policy allows, or a refusal that says why; {@code what} is "secret", "request". */
  static String checkedCallback(String url, io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks,
      String what) {
    if (callbacks == null) {
      throw new InvalidArgumentException("This server does not send notifications to callback URLs; create the "
          + what + " without \"notify\", or ask the operator to enable them.");
    }
    callbacks.checkCallback(url); // form and literal addresses only: names are judged when a notification is sent
    return url;
  }

  private static void applyTtl(ShareOptions.Builder o, @Nullable String ttl) {
    if (ttl == null) {
      return;
    }
    String t = ttl.trim();
    if (!TTL.matcher(t).matches()) {
      throw new InvalidArgumentException("The ttl must be a whole number of seconds.");
    }
    o.ttl(Duration.ofSeconds(Long.parseLong(t))); // the range is checked by share(), before any content is read
  }

}
