package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.SecretRequest;
import io.onetimeshare.UploadTicket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Secret requests over HTTP (issue 23), {@code /api/requests}: asking needs the rights creating needs (and costs a
 * create); reading a request and answering it need none (the responder has no account) and cost the address an access
 * and a create; the answer's segments and finish go through {@code /api/uploads/{id}} like any upload. The asker's
 * owner token reads the request's state and withdraws it.
 */
final class RequestApi {
  static final String REQUESTS = "/api/requests";

  private final OneTimeShare ots;
  private final Bodies bodies;
  private final Responses out;
  private final ClientLimits limits;
  private final CreateAccess access;
  private final io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks;

  RequestApi(OneTimeShare ots, Bodies bodies, Responses out, ClientLimits limits, CreateAccess access,
      io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks) {
    this.callbacks = callbacks;
    this.ots = ots;
    this.bodies = bodies;
    this.out = out;
    this.limits = limits;
    this.access = access;
  }

  /** Routes {@code /api/requests[/...]}; {@code base} is the links' base. */
  void route(HttpServletRequest req, HttpServletResponse resp, String rest, String base) throws IOException {
    String method = req.getMethod();
    if (rest.isEmpty() || rest.equals("/")) {
      Endpoints.only(method, "POST");
      ask(req, resp, base);
      return;
    }
    String[] parts = rest.substring(1).split("/", -1);
    String id = Endpoints.checkId(parts[0]);
    if (parts.length == 1) {
      switch (method) {
        case "GET", "HEAD" -> show(req, resp, id);
        case "DELETE" -> withdraw(req, resp, id);
        default -> throw Problem.methodNotAllowed("GET, HEAD, DELETE");
      }
    } else if (parts.length == 2 && parts[1].equals("answer")) {
      Endpoints.only(method, "POST");
      answer(req, resp, id);
    } else if (parts.length == 2 && parts[1].equals("receipt")) {
      Endpoints.only(method, "GET, HEAD");
      receipt(req, resp, id);
    } else {
      throw new Problem(404, "not_found", "There is nothing at this address.");
    }
  }

  private JsonNode json(HttpServletRequest req, String example) throws IOException {
    if (!Bodies.mediaType(req).equals("application/json")) {
      throw Problem.unsupportedMediaType("Send application/json: " + example + ".");
    }
    return bodies.object(Bodies.bounded(req, Bodies.SMALL, n -> { }));
  }

  private void ask(HttpServletRequest req, HttpServletResponse resp, String base) throws IOException {
    CreateAccess.Admitted admitted = access.admit(req, resp);
    limits.countCreate(admitted.client(), resp);
    JsonNode body = json(req, "{\"publicKey\": \"<43 characters of base64url>\", \"ttl\": s}");
    if (body.has("label")) {
      // issue 36, finding 10: the label is for the asker's eyes and stays in the links' fragments (docs/format.md);
      // a client that sends it would otherwise believe the server keeps it
      throw new InvalidArgumentException("\"label\" is not sent to the server: a request's label stays in the "
          + "links' fragments, where only the asker's and the responder's browsers read it. Remove it from the body.");
    }
    String key = Bodies.text(body, "publicKey", true);
    if (key == null) {
      throw new InvalidArgumentException("\"publicKey\" (the asker's X25519 public key, base64url) is required.");
    }
    byte[] publicKey;
    try {
      publicKey = Base64.getUrlDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("\"publicKey\" is not valid base64url.");
    }
    JsonNode ttl = body.get("ttl");
    Duration t = null;
    if (ttl != null && !ttl.isNull()) {
      if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
        throw new InvalidArgumentException("\"ttl\" must be a whole number of seconds.");
      }
      t = Duration.ofSeconds(ttl.asLong());
    }
    String notify = Bodies.text(body, "notify", false);
    SecretRequest r = ots.request(publicKey, t,
        notify == null ? null : Uploads.checkedCallback(notify, callbacks, "request"));
    // the links without their fragments: the asker's client adds the key's fingerprint and the answer token to the
    // fill link and the private key to the inbox link; the fragments never reach a server
    ObjectNode answer = out.object().put("id", r.id()).put("ownerToken", r.ownerToken())
        .put("answerToken", r.answerToken())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(r.expiresAt()))
        .put("fillLink", base + "/a/" + r.id()).put("inboxLink", base + "/s/" + r.id())
        .put("receiptLink", base + "/q/" + r.id());
    if (r.notifySecret() != null) {
      answer.put("notifySecret", r.notifySecret());
    }
    out.json(resp, 201, answer);
  }

  private void show(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limits.countAccess(limits.client(req), resp);
    SecretRequest.Open r = ots.requestInfo(id).orElseThrow(SecretNotFoundException::new);
    out.json(resp, 200, out.object().put("id", r.id())
        .put("publicKey", Base64.getUrlEncoder().withoutPadding().encodeToString(r.publicKey()))
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(r.expiresAt()))
        .put("answered", r.answeredAt() != null));
  }

  private void answer(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    // the responder has no account: no create rights are asked, but the address pays a create like any upload
    limits.countCreate(limits.client(req), resp);
    JsonNode body = json(req, "{\"segmentSize\": n}");
    JsonNode seg = body.get("segmentSize");
    if (seg == null || !seg.isIntegralNumber() || !seg.canConvertToInt()) {
      throw new InvalidArgumentException("\"segmentSize\" (plaintext bytes per segment) is required.");
    }
    // the fill link's capability (issue 36, finding 1): in its fragment, never in a path a log or a shoulder sees
    UploadTicket t = ots.answerRequest(id, req.getHeader("OTS-Answer-Token"), seg.asInt());
    int sealed = t.segmentSize() + 16;
    out.json(resp, 201, out.object().put("id", t.id()).put("deleteToken", t.deleteToken())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(t.expiresAt())).put("segmentSize", t.segmentSize())
        .put("maxRequestBytes", (long) Math.max(1, ClientApi.REQUEST_BYTES / sealed) * sealed));
  }

  private static String ownerToken(HttpServletRequest req) {
    String token = req.getHeader("OTS-Owner-Token");
    if (token == null || token.isEmpty()) {
      throw new InvalidArgumentException("Send the request's owner token in the OTS-Owner-Token header.");
    }
    return token;
  }

  private void receipt(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limits.countAccess(limits.client(req), resp);
    SecretRequest.State s = ots.requestStatus(id, ownerToken(req));
    ObjectNode body = out.object().put("id", id).put("state", s.name().toLowerCase(Locale.ROOT));
    out.json(resp, 200, body);
  }

  private void withdraw(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limits.countAccess(limits.client(req), resp);
    ots.deleteRequest(id, ownerToken(req));
    resp.setStatus(204);
  }
}
