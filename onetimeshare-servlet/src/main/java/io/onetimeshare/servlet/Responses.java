package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.CapacityException;
import io.onetimeshare.IntegrityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.InvalidDeleteTokenException;
import io.onetimeshare.OneTimeShareException;
import io.onetimeshare.OverloadedException;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.TooLargeException;
import io.onetimeshare.WrongCredentialException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Writes responses: the security headers every answer carries, JSON bodies, and the one mapping from failures to
 * HTTP statuses and error JSON ({@code {"error": code, "message": text}}). Messages never contain a secret, key,
 * passphrase or token: they come from the core's exceptions, which are written not to.
 */
final class Responses {
  private static final System.Logger LOG = System.getLogger(OneTimeShareServlet.class.getName());
  /** One line per 10 s for a store outage, however many requests fail meanwhile. */
  private static final SummarisedLog STORE_DOWN = new SummarisedLog(LOG, 10, java.util.concurrent.TimeUnit.SECONDS,
      System::nanoTime);
  /** Strict page policy: our own scripts and styles only, no inline code, no third-party origin, no framing. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self'; worker-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
      + "frame-ancestors 'none'";
  private final ObjectMapper json;

  Responses(ObjectMapper json) {
    this.json = json;
  }

  static void securityHeaders(HttpServletResponse resp) {
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  ObjectNode object() {
    return json.createObjectNode();
  }

  void json(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    byte[] b = json.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  void problem(HttpServletResponse resp, Problem p) throws IOException {
    p.headers.forEach(resp::setHeader);
    error(resp, p.status, p.code, message(p), Map.of());
  }

  /** Maps a failure of the core to its status and error JSON. */
  void failure(HttpServletResponse resp, OneTimeShareException e) throws IOException {
    if (e instanceof SecretNotFoundException) {
      error(resp, 404, "not_found", message(e), Map.of());
    } else if (e instanceof WrongCredentialException w) {
      error(resp, 403, "wrong_credential", message(e), Map.of("attemptsLeft", w.attemptsLeft()));
    } else if (e instanceof io.onetimeshare.InvalidAnswerTokenException a) {
      error(resp, 403, a.predatesTokens() ? "request_predates_answer_tokens" : "wrong_answer_token", message(e),
          Map.of());
    } else if (e instanceof InvalidDeleteTokenException) {
      error(resp, 403, "wrong_delete_token", message(e), Map.of());
    } else if (e instanceof InvalidArgumentException) {
      error(resp, 400, "invalid_request", message(e), Map.of());
    } else if (e instanceof TooLargeException) {
      resp.setHeader("Connection", "close"); // the rest of the body is not read
      error(resp, 413, "too_large", message(e), Map.of());
    } else if (e instanceof io.onetimeshare.UploadConflictException u) {
      error(resp, 409, "upload_conflict", message(e), Map.of("expectedSegment", (int) u.expectedSegment()));
    } else if (e instanceof CapacityException) {
      error(resp, 507, "insufficient_storage", message(e), Map.of());
    } else if (e instanceof OverloadedException) {
      resp.setHeader("Retry-After", "1");
      error(resp, 503, "overloaded", message(e), Map.of());
    } else if (e instanceof StoreUnavailableException unavailable) {
      STORE_DOWN.warn("Store unavailable: " + e.getMessage());
      resp.setHeader("Retry-After", "1");
      error(resp, 503, "store_unavailable", switch (unavailable.effect()) {
        case NOT_STORED -> "The secret store could not confirm the secret on its replicas, so it was not stored; "
            + "send it again shortly.";
        case NOTHING_DELIVERED -> "The secret store could not confirm the opening on its replicas, so nothing was "
            + "delivered and the secret can still be opened once; try again shortly.";
        case NOT_CONFIRMED -> "The secret store could not confirm the change on its replicas; send it again shortly.";
        case UNKNOWN -> "The secret store is unavailable; try again shortly.";
      }, Map.of());
    } else if (e instanceof IntegrityException) {
      LOG.log(Level.WARNING, "A stored secret failed its integrity check: {0}", e.getMessage());
      error(resp, 500, "integrity_failure", "The stored secret is corrupted and cannot be opened.", Map.of());
    } else {
      LOG.log(Level.WARNING, "Unexpected error: {0}", e.getClass().getName());
      error(resp, 500, "internal_error", "Something went wrong on the server.", Map.of());
    }
  }

  private static String message(RuntimeException e) {
    return java.util.Objects.requireNonNullElse(e.getMessage(), "The request could not be handled.");
  }

  void error(HttpServletResponse resp, int status, String code, String message, Map<String, Integer> extra)
      throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.resetBuffer();
    ObjectNode out = object().put("error", code).put("message", message);
    extra.forEach(out::put);
    json(resp, status, out);
  }
}
