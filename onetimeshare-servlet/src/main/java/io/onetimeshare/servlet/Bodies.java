package io.onetimeshare.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.onetimeshare.TooLargeException;
import io.onetimeshare.servlet.internal.BoundedInputStream;
import io.onetimeshare.servlet.internal.HeaderParams;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes request bodies and credential headers, each under a byte cap that holds whatever the framing: a body is
 * read through a {@link BoundedInputStream}, so a chunked body is refused with 413 as soon as it passes the cap, and
 * JSON is parsed with document-size, string-length, name-length, number-length and nesting limits, with trailing
 * data refused.
 */
final class Bodies {
  /** Cap for the small bodies: opening (key or passphrase), form fields. */
  static final int SMALL = 16 * 1024;
  /** Longest form field or JSON option (passphrase, ttl). */
  static final int MAX_FIELD = 4096;
  private final ObjectReader json;

  Bodies(ObjectMapper mapper, long maxJsonBytes) {
    StreamReadConstraints limits = StreamReadConstraints.builder()
        .maxDocumentLength(maxJsonBytes)
        .maxStringLength((int) Math.min(Integer.MAX_VALUE - 1024L, maxJsonBytes))
        .maxNestingDepth(4)
        .maxNumberLength(32)
        .maxNameLength(64)
        .build();
    ObjectMapper m = mapper.copy();
    m.getFactory().setStreamReadConstraints(limits);
    this.json = m.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The media type of the request, lower-cased, without parameters; empty when none. */
  static String mediaType(HttpServletRequest req) {
    String ct = req.getContentType();
    return ct == null ? "" : java.util.Objects.requireNonNullElse(HeaderParams.parse(ct).get(""), "")
        .toLowerCase(Locale.ROOT);
  }

  /** The body, capped at {@code max} bytes whatever its framing. A declared length over the cap fails at once. */
  static BoundedInputStream bounded(HttpServletRequest req, long max, BoundedInputStream.Meter meter)
      throws IOException {
    if (req.getContentLengthLong() > max) {
      throw new TooLargeException(max);
    }
    return new BoundedInputStream(req.getInputStream(), max, meter);
  }

  /** A JSON object of at most the configured size; anything else is a 400 (413 past the cap). */
  JsonNode object(InputStream in) throws IOException {
    JsonNode node;
    try {
      node = json.readValue(in);
    } catch (StreamConstraintsException e) {
      if (String.valueOf(e.getMessage()).contains("Document length")) {
        throw new TooLargeException(json.getFactory().streamReadConstraints().getMaxDocumentLength());
      }
      throw Problem.badRequest("The JSON body is too deeply nested or has a value that is too long.");
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof TooLargeException t) {
        throw t;
      }
      throw Problem.badRequest(e.getMessage() != null && e.getMessage().contains("Trailing token")
          ? "The request body has data after the JSON object." : "The request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw Problem.badRequest("The request body must be a JSON object.");
    }
    return node;
  }

  /** A string field of a JSON body, or null; at most {@link #MAX_FIELD} characters unless it is the content. */
  static @Nullable String text(JsonNode body, String name, boolean content) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw Problem.badRequest("The field \"" + name + "\" must be a string.");
    }
    if (!content && n.asText().length() > MAX_FIELD) {
      throw Problem.badRequest("The field \"" + name + "\" is too long.");
    }
    return n.asText();
  }

  /**
   * An {@code application/x-www-form-urlencoded} body (UTF-8), read from the body only: fields are never taken from
   * the URL, where keys would end up in logs and history. A field given twice is refused.
   */
  static Map<String, String> form(InputStream in) throws IOException {
    byte[] b = in.readAllBytes();
    Map<String, String> out = new HashMap<>();
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("The form body is not valid UTF-8.");
    }
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = HeaderParams.formDecode(eq < 0 ? pair : pair.substring(0, eq));
        value = eq < 0 ? "" : HeaderParams.formDecode(pair.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest("The form body has a bad percent-escape.");
      }
      if (out.put(name, value) != null) {
        throw Problem.badRequest("The form field \"" + name + "\" appears twice.");
      }
    }
    return out;
  }

  /** Refuses a key or passphrase in the query string: they must never be part of a URL. */
  static void refuseCredentialsInUrl(HttpServletRequest req) {
    String q = req.getQueryString();
    if (q == null) {
      return;
    }
    for (String pair : q.split("&")) {
      String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
      if (name.equals("key") || name.equals("passphrase")) {
        throw Problem.badRequest("Send the " + name + " in the request body (JSON or form), never in the URL: URLs "
            + "end up in logs, proxies and browser history.");
      }
    }
  }

  /**
   * The {@code OTS-Passphrase} header: UTF-8, either as {@code UTF-8''} followed by the percent-encoded bytes (RFC
   * 8187 style; what browsers must use, since fetch() allows only Latin-1 header values) or as raw bytes. Null when
   * absent.
   */
  static @Nullable String passphraseHeader(HttpServletRequest req) {
    String raw = req.getHeader("OTS-Passphrase");
    if (raw == null) {
      return null;
    }
    String v;
    if (raw.regionMatches(true, 0, "UTF-8''", 0, 7)) {
      v = HeaderParams.percentDecodeUtf8(raw.substring(7));
      if (v == null) {
        throw Problem.badRequest("The OTS-Passphrase header after UTF-8'' must be percent-encoded UTF-8.");
      }
    } else {
      // containers hand header bytes over as ISO-8859-1 characters: take those bytes back and read them as UTF-8
      byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
      try {
        v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw Problem.badRequest("The OTS-Passphrase header must be UTF-8 (or UTF-8'' and percent-encoded).");
      }
    }
    if (v.length() > MAX_FIELD) {
      throw Problem.badRequest("The passphrase is too long.");
    }
    return v;
  }
}
