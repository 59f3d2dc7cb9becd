package io.onetimeshare.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.CapacityException;
import io.onetimeshare.Credential;
import io.onetimeshare.IntegrityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.InvalidDeleteTokenException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OneTimeShareException;
import io.onetimeshare.OpenedStream;
import io.onetimeshare.OverloadedException;
import io.onetimeshare.RateDecision;
import io.onetimeshare.RateLimiter;
import io.onetimeshare.SecretInfo;
import io.onetimeshare.SecretKind;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.TooLargeException;
import io.onetimeshare.WrongCredentialException;
import io.onetimeshare.servlet.internal.EncryptedSpool;
import io.onetimeshare.servlet.internal.MultipartReader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API v1 (see docs/http-api.md) for any Jakarta Servlet 6 container. Map it at {@code /*} (or under a
 * prefix such as {@code /share/*}); paths below are relative to the mapping. Uploads stream into the sealer segment
 * by segment; no request body is held whole in memory or written to disk in plaintext.
 *
 * @since 0.1
 */
public class OneTimeShareServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(OneTimeShareServlet.class.getName());
  private static final String API = "/api/secrets";
  private static final int MAX_FIELD_BYTES = 4096;
  private static final java.util.regex.Pattern TTL = java.util.regex.Pattern.compile("[0-9]{1,9}");
  /** Strict page policy: our own scripts and styles only, no inline code, no third-party origin, no framing. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  private static final java.util.Map<String, String> ASSETS = java.util.Map.of(
      "index.html", "text/html; charset=utf-8",
      "reveal.html", "text/html; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "crypto.js", "text/javascript; charset=utf-8",
      "create.js", "text/javascript; charset=utf-8",
      "reveal.js", "text/javascript; charset=utf-8");
  private static final java.util.Map<String, byte[]> ASSET_BYTES = loadAssets();

  private transient OneTimeShare ots;
  private transient ServletSettings settings;
  private transient ObjectMapper json;
  private transient boolean ownsOts;

  /** Serves {@code ots} with {@code settings} (the embedding way: the host application owns both). */
  public OneTimeShareServlet(OneTimeShare ots, ServletSettings settings) {
    configure(Objects.requireNonNull(ots, "ots"), Objects.requireNonNull(settings, "settings"));
  }

  /**
   * For containers that instantiate the servlet from {@code web.xml} or annotations: everything comes from init
   * parameters (see {@link #init()}).
   */
  public OneTimeShareServlet() {}

  private void configure(OneTimeShare o, ServletSettings s) {
    this.ots = o;
    this.settings = s;
    this.json = new ObjectMapper();
    long maxJson = Math.min(Integer.MAX_VALUE - 1024L, o.settings().maxContentBytes() * 6 + 4096);
    json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength((int) maxJson).maxNestingDepth(8).build());
  }

  /**
   * Builds the service from init parameters when the servlet was created without one: {@code storage} ({@code
   * memory} or {@code file}), {@code data-dir}, {@code max-size} (e.g. {@code 10MB}), {@code default-ttl} (e.g.
   * {@code 1d}), {@code rate-create} and {@code rate-open} (e.g. {@code 100/1h} or {@code off}), {@code
   * trusted-proxies}, {@code public-url}. A bad value fails deployment with a clear message.
   */
  @Override
  public void init() throws jakarta.servlet.ServletException {
    if (ots != null) {
      return;
    }
    try {
      OneTimeShare.Builder b = OneTimeShare.builder();
      String storage = param("storage", "memory");
      if (storage.equals("file")) {
        b.vault(io.onetimeshare.file.FileSecretVault.builder(java.nio.file.Path.of(param("data-dir", "ots-data")))
            .build());
      } else if (!storage.equals("memory")) {
        throw new InvalidArgumentException("init parameter storage must be memory or file, not '" + storage + "'.");
      }
      b.maxContentBytes(OptionValues.size(param("max-size", "10MB")));
      b.defaultTtl(OptionValues.duration(param("default-ttl", "1d")));
      ServletSettings.Builder s = ServletSettings.builder();
      OptionValues.rate(param("rate-create", "100/1h"))
          .ifPresent(r -> s.createLimiter(io.onetimeshare.memory.InMemoryRateLimiter.builder(r).build()));
      OptionValues.rate(param("rate-open", "300/1h"))
          .ifPresent(r -> s.openLimiter(io.onetimeshare.memory.InMemoryRateLimiter.builder(r).build()));
      String proxies = param("trusted-proxies", "");
      if (!proxies.isBlank()) {
        s.trustedProxies(proxies);
      }
      String pub = param("public-url", "");
      if (!pub.isBlank()) {
        s.publicUrl(URI.create(pub));
      }
      configure(b.build(), s.build());
      ownsOts = true;
    } catch (RuntimeException e) {
      throw new jakarta.servlet.ServletException("OneTimeShare servlet configuration: " + e.getMessage(), e);
    }
  }

  private String param(String name, String dflt) {
    String v = getInitParameter(name);
    return v == null ? dflt : v.trim();
  }

  @Override
  public void destroy() {
    if (ownsOts && ots != null) {
      ots.close();
    }
  }

  private static java.util.Map<String, byte[]> loadAssets() {
    java.util.Map<String, byte[]> m = new java.util.HashMap<>();
    for (String name : ASSETS.keySet()) {
      try (InputStream in = OneTimeShareServlet.class.getResourceAsStream("web/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing web asset " + name);
        }
        m.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read web asset " + name, e);
      }
    }
    return java.util.Map.copyOf(m);
  }

  public OneTimeShareServlet(OneTimeShare ots) {
    this(ots, ServletSettings.defaults());
  }

  private static String route(HttpServletRequest req) {
    String p = req.getPathInfo();
    return p == null ? req.getServletPath() : p;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    String path = route(req);
    String method = req.getMethod();
    try {
      if (req.getPathInfo() == null && req.getHttpServletMapping() != null
          && req.getHttpServletMapping().getMappingMatch() == jakarta.servlet.http.MappingMatch.PATH) {
        // "/share" -> "/share/" so relative asset links resolve (set by hand: portable across Servlet 6.0 and 6.1)
        resp.setStatus(302);
        resp.setHeader("Location", req.getRequestURI() + "/");
      } else if (path.isEmpty() || path.equals("/")) {
        only(method, "GET, HEAD");
        asset(resp, "index.html");
      } else if (path.startsWith("/s/")) {
        only(method, "GET, HEAD");
        checkId(path.substring(3));
        asset(resp, "reveal.html");
      } else if (path.startsWith("/assets/") && ASSETS.containsKey(path.substring(8))
          && !path.endsWith(".html")) {
        only(method, "GET, HEAD");
        asset(resp, path.substring(8));
      } else if (path.equals("/health")) {
        only(method, "GET, HEAD");
        sendJson(resp, 200, json.createObjectNode().put("status", "up"));
      } else if (path.equals("/ready")) {
        only(method, "GET, HEAD");
        boolean ready = ots.isReady();
        sendJson(resp, ready ? 200 : 503, json.createObjectNode().put("status", ready ? "ready" : "store unavailable"));
      } else if (path.equals(API) || path.equals(API + "/")) {
        only(method, "POST");
        create(req, resp);
      } else if (path.startsWith(API + "/")) {
        String rest = path.substring(API.length() + 1);
        if (rest.endsWith("/open")) {
          String id = rest.substring(0, rest.length() - 5);
          only(method, "POST");
          checkId(id);
          open(req, resp, id);
        } else {
          checkId(rest);
          switch (method) {
            case "GET", "HEAD" -> peek(resp, rest);
            case "DELETE" -> delete(req, resp, rest);
            default -> throw new MethodNotAllowed("GET, HEAD, DELETE");
          }
        }
      } else {
        sendError(resp, 404, "not_found", "There is nothing at this address.");
      }
    } catch (MethodNotAllowed e) {
      resp.setHeader("Allow", e.allow);
      sendError(resp, 405, "method_not_allowed", "This address accepts " + e.allow + " only.");
    } catch (HttpProblem e) {
      sendError(resp, e.status, e.code, e.getMessage());
    } catch (OneTimeShareException e) {
      mapException(req, resp, e);
    } catch (JsonProcessingException e) {
      sendError(resp, 400, "invalid_request", "The request body is not valid JSON.");
    }
  }

  private static void asset(HttpServletResponse resp, String name) throws IOException {
    byte[] b = ASSET_BYTES.get(name);
    resp.setStatus(200);
    resp.setContentType(ASSETS.get(name));
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  private static void only(String method, String allow) {
    for (String m : allow.split(", ")) {
      if (m.equals(method)) {
        return;
      }
    }
    throw new MethodNotAllowed(allow);
  }

  private static void checkId(String id) {
    if (id.length() != 22 || !id.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'
        || c == '_'))) {
      throw new HttpProblem(400, "invalid_id", "A secret id is exactly 22 characters of A-Z, a-z, 0-9, '-' and '_'.");
    }
  }

  // ---- create ----

  private void create(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    limit(settings.createLimiter(), req, resp);
    String ct = req.getContentType();
    String type = ct == null ? "" : ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
    long max = ots.settings().maxContentBytes();
    long declared = req.getContentLengthLong();
    ShareReceipt receipt;
    switch (type) {
      case "application/octet-stream" -> {
        if (declared > max) {
          throw new TooLargeException(max);
        }
        ShareOptions.Builder o = ShareOptions.builder();
        applyTtl(o, req.getParameter("ttl"));
        String filename = req.getParameter("filename");
        if (filename != null) {
          o.filename(filename);
        }
        String pass = req.getHeader("OTS-Passphrase");
        if (pass != null) {
          o.passphrase(pass);
        }
        receipt = ots.share(req.getInputStream(), o.build(), SecretKind.FILE);
      }
      case "application/json" -> {
        if (declared > max * 6 + 4096) {
          throw new TooLargeException(max);
        }
        JsonNode body = readJsonObject(req.getInputStream());
        String text = textField(body, "text", true);
        if (text == null) {
          throw new InvalidArgumentException("The JSON body needs a \"text\" field.");
        }
        ShareOptions.Builder o = ShareOptions.builder();
        String pass = textField(body, "passphrase", false);
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
        receipt = ots.share(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), o.build(),
            SecretKind.TEXT);
      }
      case "multipart/form-data" -> receipt = createMultipart(req, ct, max);
      default -> throw new HttpProblem(415, "unsupported_media_type",
          "Send multipart/form-data, application/json or application/octet-stream.");
    }
    String base = baseUrl(req);
    ObjectNode out = json.createObjectNode();
    out.put("id", receipt.id());
    if (receipt.key() != null) {
      out.put("key", receipt.key());
    }
    out.put("link", base + "/s/" + receipt.id() + (receipt.key() != null ? "#" + receipt.key() : ""));
    out.put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(receipt.expiresAt()));
    out.put("deleteToken", receipt.deleteToken());
    resp.setHeader("Location", base + API + "/" + receipt.id());
    sendJson(resp, 201, out);
  }

  private ShareReceipt createMultipart(HttpServletRequest req, String contentType, long max) throws IOException {
    MultipartReader mp = new MultipartReader(req.getInputStream(), MultipartReader.boundaryOf(contentType),
        req.getContentLengthLong());
    ShareOptions.Builder o = ShareOptions.builder();
    EncryptedSpool spool = null;
    SecretKind kind = null;
    boolean sawPass = false;
    boolean sawTtl = false;
    try {
      MultipartReader.Part p;
      while ((p = mp.next()) != null) {
        switch (p.name()) {
          case "text", "file" -> {
            if (kind != null) {
              throw new InvalidArgumentException("Send exactly one of the parts \"text\" and \"file\", not both.");
            }
            kind = p.name().equals("text") ? SecretKind.TEXT : SecretKind.FILE;
            if (kind == SecretKind.FILE && p.filename() != null && !p.filename().isEmpty()) {
              o.filename(baseName(p.filename()));
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
        return ots.share(content, o.build(), kind);
      }
    } finally {
      if (spool != null) {
        spool.close();
      }
    }
  }

  private static String baseName(String filename) {
    String f = filename.replace('\\', '/');
    return f.substring(f.lastIndexOf('/') + 1);
  }

  private static String field(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_FIELD_BYTES + 1);
    if (b.length > MAX_FIELD_BYTES) {
      throw new InvalidArgumentException("A form field is longer than " + MAX_FIELD_BYTES + " bytes.");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private void applyTtl(ShareOptions.Builder o, @Nullable String ttl) {
    if (ttl == null) {
      return;
    }
    String t = ttl.trim();
    if (!TTL.matcher(t).matches()) {
      throw new InvalidArgumentException("The ttl must be a whole number of seconds.");
    }
    Duration d = Duration.ofSeconds(Long.parseLong(t));
    ots.settings().checkTtl(d);
    o.ttl(d);
  }

  private JsonNode readJsonObject(InputStream in) throws IOException {
    JsonNode node = json.readTree(in);
    if (node == null || !node.isObject()) {
      throw new InvalidArgumentException("The request body must be a JSON object.");
    }
    return node;
  }

  private static @Nullable String textField(JsonNode body, String name, boolean content) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidArgumentException("The field \"" + name + "\" must be a string.");
    }
    if (!content && n.asText().length() > MAX_FIELD_BYTES) {
      throw new InvalidArgumentException("The field \"" + name + "\" is too long.");
    }
    return n.asText();
  }

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

  private void peek(HttpServletResponse resp, String id) throws IOException {
    SecretInfo info = ots.peek(id).orElseThrow(SecretNotFoundException::new);
    ObjectNode out = json.createObjectNode();
    out.put("id", info.id());
    out.put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(info.expiresAt()));
    out.put("passphraseRequired", info.passphraseRequired());
    sendJson(resp, 200, out);
  }

  private void open(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limit(settings.openLimiter(), req, resp);
    String ct = req.getContentType();
    String type = ct == null ? "" : ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
    String key;
    String pass;
    if (type.equals("application/json")) {
      if (req.getContentLengthLong() > 16 * 1024) {
        throw new TooLargeException(16 * 1024);
      }
      JsonNode body = readJsonObject(req.getInputStream());
      key = textField(body, "key", false);
      pass = textField(body, "passphrase", false);
    } else if (type.equals("application/x-www-form-urlencoded")) {
      key = req.getParameter("key");
      pass = req.getParameter("passphrase");
    } else if (type.isEmpty() && req.getContentLengthLong() <= 0) {
      throw new InvalidArgumentException("Send the key or the passphrase as JSON or as a form field.");
    } else {
      throw new HttpProblem(415, "unsupported_media_type",
          "Send the key or passphrase as application/json or application/x-www-form-urlencoded.");
    }
    if ((key == null || key.isEmpty()) == (pass == null || pass.isEmpty())) {
      throw new InvalidArgumentException("Send exactly one of \"key\" and \"passphrase\".");
    }
    Credential c = key != null && !key.isEmpty() ? Credential.key(key) : Credential.passphrase(pass);
    try (OpenedStream s = ots.openStream(id, c)) {
      if (s.kind() == SecretKind.TEXT) {
        resp.setContentType("text/plain; charset=utf-8");
      } else {
        resp.setContentType("application/octet-stream");
        String name = s.filename() == null ? "secret.bin" : s.filename();
        resp.setHeader("Content-Disposition", "attachment; filename*=UTF-8''" + pctEncode(name));
      }
      resp.setStatus(200);
      OutputStream out = resp.getOutputStream();
      try {
        s.content().transferTo(out);
      } catch (IntegrityException e) {
        // headers are gone already: cut the connection so the client sees an incomplete body, never wrong bytes
        LOG.log(Level.WARNING, "A stored secret failed authentication while streaming; aborting the response.");
        throw new IOException("integrity failure while streaming", e);
      }
    } finally {
      c.wipe();
    }
  }

  private static String pctEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void delete(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    String token = req.getHeader("OTS-Delete-Token");
    if (token == null || token.isEmpty()) {
      throw new InvalidArgumentException("Send the deletion token in the OTS-Delete-Token header.");
    }
    ots.delete(id, token);
    resp.setStatus(204);
  }

  // ---- rate limiting, errors ----

  private void limit(@Nullable RateLimiter limiter, HttpServletRequest req, HttpServletResponse resp) {
    if (limiter == null) {
      return;
    }
    String client = settings.trustedProxies().clientOf(req.getRemoteAddr(), req.getHeader("X-Forwarded-For"));
    RateDecision d = limiter.tryAcquire(client);
    resp.setHeader("RateLimit-Limit", Long.toString(d.limit()));
    resp.setHeader("RateLimit-Remaining", Long.toString(d.remaining()));
    resp.setHeader("RateLimit-Reset", Long.toString(ceilSeconds(d.resetAfter())));
    if (!d.allowed()) {
      resp.setHeader("Retry-After", Long.toString(Math.max(1, ceilSeconds(d.retryAfter()))));
      throw new HttpProblem(429, "rate_limited", "Too many requests from your address; retry in "
          + Math.max(1, ceilSeconds(d.retryAfter())) + " s.");
    }
  }

  private static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  private void mapException(HttpServletRequest req, HttpServletResponse resp, OneTimeShareException e)
      throws IOException {
    if (e instanceof SecretNotFoundException) {
      sendError(resp, 404, "not_found", e.getMessage());
    } else if (e instanceof WrongCredentialException w) {
      ObjectNode out = error("wrong_credential", e.getMessage());
      out.put("attemptsLeft", w.attemptsLeft());
      sendJson(resp, 403, out);
    } else if (e instanceof InvalidDeleteTokenException) {
      sendError(resp, 403, "wrong_delete_token", e.getMessage());
    } else if (e instanceof InvalidArgumentException) {
      sendError(resp, 400, "invalid_request", e.getMessage());
    } else if (e instanceof TooLargeException) {
      resp.setHeader("Connection", "close");
      sendError(resp, 413, "too_large", e.getMessage());
    } else if (e instanceof CapacityException) {
      sendError(resp, 507, "insufficient_storage", e.getMessage());
    } else if (e instanceof OverloadedException) {
      resp.setHeader("Retry-After", "1");
      sendError(resp, 503, "overloaded", e.getMessage());
    } else if (e instanceof StoreUnavailableException) {
      LOG.log(Level.WARNING, "Store unavailable: {0}", e.getMessage());
      resp.setHeader("Retry-After", "1");
      sendError(resp, 503, "store_unavailable", "The secret store is unavailable; try again shortly.");
    } else if (e instanceof IntegrityException) {
      LOG.log(Level.WARNING, "A stored secret failed its integrity check: {0}", e.getMessage());
      sendError(resp, 500, "integrity_failure", "The stored secret is corrupted and cannot be opened.");
    } else {
      LOG.log(Level.WARNING, "Unexpected error: {0}", e.getClass().getName());
      sendError(resp, 500, "internal_error", "Something went wrong on the server.");
    }
  }

  private ObjectNode error(String code, String message) {
    return json.createObjectNode().put("error", code).put("message", message);
  }

  private void sendError(HttpServletResponse resp, int status, String code, String message) throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.resetBuffer();
    sendJson(resp, status, error(code, message));
  }

  private void sendJson(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    byte[] b = json.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  private static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String allow;

    MethodNotAllowed(String allow) {
      super(null, null, false, false);
      this.allow = allow;
    }
  }

  private static final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    HttpProblem(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
