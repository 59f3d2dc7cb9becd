package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.Credential;
import io.onetimeshare.IntegrityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OneTimeShareException;
import io.onetimeshare.OpenedStream;
import io.onetimeshare.SecretInfo;
import io.onetimeshare.SecretKind;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.spi.Charge;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The endpoints of the HTTP API v1 and the page, for one configured service: routing, then each endpoint top to
 * bottom. Decoding bodies ({@link Bodies}, {@link Uploads}), per-client limits ({@link ClientLimits}) and writing
 * responses and errors ({@link Responses}) each live in their own class; {@link OneTimeShareServlet} only owns the
 * servlet lifecycle.
 */
final class Endpoints {
  private static final System.Logger LOG = System.getLogger(OneTimeShareServlet.class.getName());
  private static final String API = "/api/secrets";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  /** Creates with a declared body up to this size have their budgets charged with the store's put (issue 25). */
  static final long FOLD_BELOW = 64 * 1024;

  private final OneTimeShare ots;
  private final ServletSettings settings;
  private final RequestApi requests;
  private final Bodies bodies;
  private final Responses out;
  private final ClientLimits limits;
  private final Uploads uploads;
  private final ClientApi clients;
  private final CreateAccess access;

  Endpoints(OneTimeShare ots, ServletSettings settings) {
    ObjectMapper json = new ObjectMapper();
    this.ots = ots;
    this.settings = settings;
    this.out = new Responses(json);
    // a text sent as JSON may need escapes: twice the content limit, plus room for the other fields
    this.bodies = new Bodies(json, Math.min(Integer.MAX_VALUE - 1024L, 2 * ots.settings().maxContentBytes() + 16384));
    this.limits = new ClientLimits(settings);
    this.uploads = new Uploads(ots, bodies, limits, settings.callbacks());
    this.access = new CreateAccess(settings.createPolicy(), limits);
    this.clients = new ClientApi(ots, bodies, out, limits, access, settings.callbacks());
    this.requests = new RequestApi(ots, bodies, out, limits, access, settings.callbacks());
  }

  OneTimeShare ots() {
    return ots;
  }

  void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Responses.securityHeaders(resp);
    try {
      route(req, resp);
    } catch (Problem p) {
      closeIfBodyUnread(req, resp);
      out.problem(resp, p);
    } catch (OneTimeShareException e) {
      closeIfBodyUnread(req, resp);
      out.failure(resp, e);
    } catch (IOException e) {
      if (!(e.getCause() instanceof java.util.concurrent.TimeoutException) || resp.isCommitted()) {
        throw e;
      }
      // the container gave up on a body that arrived too slowly (a minimum data rate): say so, and close
      resp.setHeader("Connection", "close");
      out.error(resp, 408, "request_timeout", "The request body arrived too slowly.", Map.of());
    }
  }

  /**
   * A refused request may leave part of its body unread; the container then closes the connection after the answer.
   * Saying so ({@code Connection: close}) keeps a client from sending its next request on a connection that is about
   * to close.
   */
  private static void closeIfBodyUnread(HttpServletRequest req, HttpServletResponse resp) {
    if (req.getContentLengthLong() != 0 && !resp.isCommitted()) {
      resp.setHeader("Connection", "close");
    }
  }

  private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? req.getServletPath() : req.getPathInfo();
    String method = req.getMethod();
    if (req.getPathInfo() == null && req.getHttpServletMapping() != null
        && req.getHttpServletMapping().getMappingMatch() == MappingMatch.PATH) {
      // "/share" -> "/share/" so relative asset links resolve (set by hand: portable across Servlet 6.0 and 6.1)
      resp.setStatus(302);
      resp.setHeader("Location", req.getRequestURI() + "/");
    } else if (path.isEmpty() || path.equals("/")) {
      only(method, "GET, HEAD");
      Assets.page(req, resp, "index");
    } else if (path.startsWith("/s/")) {
      only(method, "GET, HEAD");
      checkId(path.substring(3));
      Assets.page(req, resp, "reveal");
    } else if (path.startsWith("/r/") || path.startsWith("/q/")) { // a secret's receipt, a request's receipt
      only(method, "GET, HEAD");
      checkId(path.substring(3));
      Assets.page(req, resp, "receipt");
    } else if (path.equals("/ask")) { // secret requests (issue 23): ask, and the responder's fill link
      only(method, "GET, HEAD");
      Assets.page(req, resp, "ask");
    } else if (path.startsWith("/a/")) {
      only(method, "GET, HEAD");
      checkId(path.substring(3));
      Assets.page(req, resp, "answer");
    } else if (path.equals("/assets/brand.css") || path.equals("/assets/brand.json")
        || path.equals("/assets/brand-logo")) {
      only(method, "GET, HEAD");
      brand(resp, path.substring(8));
    } else if (path.startsWith("/assets/") && Assets.isPublicAsset(path.substring(8))) {
      only(method, "GET, HEAD");
      Assets.serve(resp, path.substring(8));
    } else if (path.equals("/health")) {
      only(method, "GET, HEAD");
      out.json(resp, 200, out.object().put("status", "up"));
    } else if (path.equals("/ready")) {
      only(method, "GET, HEAD");
      boolean store = ots.isReady();
      boolean warm = settings.warm();
      out.json(resp, store && warm ? 200 : 503, out.object().put("status",
          !store ? "store unavailable" : warm ? "ready" : "warming up"));
    } else if (path.equals("/api/session")) {
      only(method, "GET, HEAD");
      limits.countAccess(limits.client(req), resp);
      // "notify": whether senders may name a callback URL (issue 22), so the page offers the field only then
      out.json(resp, 200, access.describe(req, out.object()).put("notify", settings.callbacks() != null));
    } else if (path.equals(API) || path.equals(API + "/")) {
      only(method, "POST");
      create(req, resp);
    } else if (path.startsWith(API + "/") && path.endsWith("/open")) {
      only(method, "POST");
      open(req, resp, checkId(path.substring(API.length() + 1, path.length() - 5)));
    } else if (path.startsWith(API + "/") && path.endsWith("/receipt")) {
      only(method, "GET, HEAD");
      clients.receipt(req, resp, checkId(path.substring(API.length() + 1, path.length() - 8)));
    } else if (path.equals(RequestApi.REQUESTS) || path.startsWith(RequestApi.REQUESTS + "/")) {
      requests.route(req, resp, path.substring(RequestApi.REQUESTS.length()), baseUrl(req));
    } else if (path.equals(ClientApi.UPLOADS) || path.startsWith(ClientApi.UPLOADS + "/")) {
      clients.route(req, resp, path.substring(ClientApi.UPLOADS.length()), baseUrl(req));
    } else if (path.startsWith(API + "/")) {
      String id = checkId(path.substring(API.length() + 1));
      switch (method) {
        case "GET", "HEAD" -> peek(req, resp, id);
        case "DELETE" -> delete(req, resp, id);
        default -> throw Problem.methodNotAllowed("GET, HEAD, DELETE");
      }
    } else {
      throw new Problem(404, "not_found", "There is nothing at this address.");
    }
  }

  /** Refuses with 405 (and the Allow list) a method not in {@code allow} ("GET, HEAD"). */
  static void only(String method, String allow) {
    for (String m : allow.split(", ")) {
      if (m.equals(method)) {
        return;
      }
    }
    throw Problem.methodNotAllowed(allow);
  }

  /** The operator's branding (issue 24): its colours as a style sheet, the rest as JSON, and the logo. */
  private void brand(HttpServletResponse resp, String name) throws IOException {
    Branding b = settings.branding();
    if (name.equals("brand.css")) {
      byte[] css = b.css().getBytes(StandardCharsets.UTF_8);
      resp.setContentType("text/css; charset=utf-8");
      resp.setContentLength(css.length);
      resp.getOutputStream().write(css);
    } else if (name.equals("brand.json")) {
      ObjectNode o = out.object().put("name", b.name());
      if (b.logo() != null) {
        o.put("logo", "brand-logo");
      }
      if (b.notice() != null) {
        o.put("notice", b.notice());
      }
      var links = o.putArray("footerLinks");
      for (Branding.Link l : b.footerLinks()) {
        links.addObject().put("label", l.label()).put("url", l.url());
      }
      out.json(resp, 200, o);
    } else {
      byte[] logo = b.logo();
      if (logo == null) {
        throw new Problem(404, "not_found", "This server has no logo.");
      }
      resp.setContentType(b.logoType());
      resp.setContentLength(logo.length);
      resp.getOutputStream().write(logo);
    }
  }

  static String checkId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new Problem(400, "invalid_id", "A secret id is exactly 22 characters of A-Z, a-z, 0-9, '-' and '_'.");
    }
    return id;
  }

  // ---- create ----

  private void create(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    CreateAccess.Admitted admitted = access.admit(req, resp);
    String client = admitted.client();
    // a small body (most creates) is read before its budgets are charged, so that they go with the store's put: one
    // round trip on Redis (issue 25); a large or unannounced one is charged first, as it arrives
    long declared = req.getContentLengthLong();
    boolean small = declared >= 0 && declared <= FOLD_BELOW;
    Charge.Batch charges = small ? limits.createCharges(client, resp, declared) : Charge.Batch.none();
    if (!small) {
      limits.countCreate(client, resp);
    }
    ShareReceipt receipt;
    try {
      Bodies.refuseCredentialsInUrl(req);
      receipt = uploads.share(req, client, admitted.creator(), charges, small);
    } finally {
      charges.applyNow(); // a request refused before the store still costs its budgets (no-op when already charged)
    }
    String base = baseUrl(req);
    ObjectNode body = out.object().put("id", receipt.id());
    if (receipt.key() != null) {
      body.put("key", receipt.key());
    }
    body.put("link", base + "/s/" + receipt.id() + (receipt.key() != null ? "#" + receipt.key() : ""));
    body.put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(receipt.expiresAt()));
    body.put("deleteToken", receipt.deleteToken());
    if (receipt.notifySecret() != null) {
      body.put("notifySecret", receipt.notifySecret()); // shown once: the sender verifies the callback's signatures
    }
    resp.setHeader("Location", base + API + "/" + receipt.id());
    out.json(resp, 201, body);
  }

  /**
   * The base of links: the configured public URL, else the request's own scheme, host and port. Without a public URL
   * the Host header decides what links point to; see docs/security.md (set the public URL on any public deployment).
   */
  private String baseUrl(HttpServletRequest req) {
    URI pub = settings.publicUrl();
    String prefix = req.getContextPath() + (req.getPathInfo() == null ? "" : req.getServletPath());
    if (pub != null) {
      String p = pub.toString();
      return (p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + prefix;
    }
    StringBuilder b = new StringBuilder().append(req.getScheme()).append("://").append(req.getServerName());
    int port = req.getServerPort();
    if (!(req.getScheme().equals("http") && port == 80) && !(req.getScheme().equals("https") && port == 443)) {
      b.append(':').append(port);
    }
    return b.append(prefix).toString();
  }

  // ---- peek / open / delete ----

  private void peek(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    // the budget goes with the store's read: one round trip on Redis (issue 25)
    Charge.Batch charges = limits.accessCharges(limits.client(req), resp);
    SecretInfo info;
    try {
      info = ots.peek(id, charges).orElseThrow(SecretNotFoundException::new);
    } finally {
      charges.applyNow();
    }
    out.json(resp, 200, out.object().put("id", info.id())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(info.expiresAt()))
        .put("passphraseRequired", info.passphraseRequired())
        .put("proofContext", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(info.proofContext())));
  }

  private void open(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    // charged with the claim (one round trip on Redis, issue 25), or before anything else happens if it fails first
    Charge.Batch charges = limits.accessCharges(limits.client(req), resp);
    try {
      open(req, resp, id, charges);
    } finally {
      charges.applyNow();
    }
  }

  private void open(HttpServletRequest req, HttpServletResponse resp, String id, Charge.Batch charges)
      throws IOException {
    Bodies.refuseCredentialsInUrl(req);
    String key;
    String pass;
    String proof;
    switch (Bodies.mediaType(req)) {
      case "application/json" -> {
        JsonNode body = bodies.object(Bodies.bounded(req, Bodies.SMALL, n -> { }));
        key = Bodies.text(body, "key", false);
        pass = Bodies.text(body, "passphrase", false);
        proof = Bodies.text(body, "proof", false);
      }
      case "application/x-www-form-urlencoded" -> {
        Map<String, String> form = Bodies.form(Bodies.bounded(req, Bodies.SMALL, n -> { }));
        key = form.get("key");
        pass = form.get("passphrase");
        proof = form.get("proof");
      }
      case "" -> throw new InvalidArgumentException("Send the key or the passphrase as JSON or as a form field.");
      default -> throw Problem.unsupportedMediaType(
          "Send the key or passphrase as application/json or application/x-www-form-urlencoded.");
    }
    int given = (key == null || key.isEmpty() ? 0 : 1) + (pass == null || pass.isEmpty() ? 0 : 1)
        + (proof == null || proof.isEmpty() ? 0 : 1);
    if (given != 1) {
      throw new InvalidArgumentException("Send exactly one of \"key\", \"passphrase\" and \"proof\".");
    }
    if (proof != null && !proof.isEmpty()) {
      clients.openSealed(resp, id, proof, charges);
      return;
    }
    Credential c = key != null && !key.isEmpty() ? Credential.key(key)
        : Credential.passphrase(java.util.Objects.requireNonNull(pass, "passphrase"));
    try (OpenedStream s = ots.openStream(id, c, charges)) {
      if (s.kind() == SecretKind.TEXT) {
        resp.setContentType("text/plain; charset=utf-8");
      } else {
        resp.setContentType("application/octet-stream");
        String name = s.filename() == null ? "secret.bin" : s.filename();
        resp.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
      }
      resp.setStatus(200);
      // the exact length, known from the envelope's size: with it a client tells a cut download from a whole one
      // whatever the framing (HTTP/1.0, Connection: close); a failure below then leaves the body short
      s.contentLength().ifPresent(resp::setContentLengthLong);
      OutputStream body = resp.getOutputStream();
      try {
        s.content().transferTo(body);
      } catch (IntegrityException e) {
        if (!resp.isCommitted()) { // still all in the buffer: drop it and answer 500 integrity_failure instead
          resp.resetBuffer();
          throw e;
        }
        // headers are gone already: cut the connection so the client sees an incomplete body (short of its
        // Content-Length, or a chunked body without its end), never wrong bytes and never a clean end
        LOG.log(Level.WARNING, "A stored secret failed authentication while streaming; aborting the response.");
        throw new IOException("integrity failure while streaming", e);
      }
    } finally {
      c.wipe();
    }
  }

  private void delete(HttpServletRequest req, HttpServletResponse resp, String id) {
    limits.countAccess(limits.client(req), resp);
    String token = req.getHeader("OTS-Delete-Token");
    if (token == null || token.isEmpty()) {
      throw new InvalidArgumentException("Send the deletion token in the OTS-Delete-Token header.");
    }
    ots.delete(id, token);
    resp.setStatus(204);
  }

}
