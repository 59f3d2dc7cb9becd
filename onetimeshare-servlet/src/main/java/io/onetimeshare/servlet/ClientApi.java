package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.SealedSecret;
import io.onetimeshare.SecretStatus;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.UploadTicket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * The endpoints for clients that seal and open secrets themselves (the web page, the command-line client) and for
 * receipts: uploads in sealed segments ({@code /api/uploads}), open by proof, and a secret's state for its creator.
 * Every request names the upload or receipt by the deletion token in {@code OTS-Delete-Token}, never in the URL.
 */
final class ClientApi {
  static final String UPLOADS = "/api/uploads";
  /** A request carries whole sealed segments, up to this many bytes (at least one segment). */
  static final int REQUEST_BYTES = 8 * 1024 * 1024;

  private final OneTimeShare ots;
  private final Bodies bodies;
  private final Responses out;
  private final ClientLimits limits;
  private final CreateAccess access;

  private final io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks;

  ClientApi(OneTimeShare ots, Bodies bodies, Responses out, ClientLimits limits, CreateAccess access,
      io.onetimeshare.servlet.notify.@Nullable AddressPolicy callbacks) {
    this.callbacks = callbacks;
    this.ots = ots;
    this.access = access;
    this.bodies = bodies;
    this.out = out;
    this.limits = limits;
  }

  /** Routes {@code /api/uploads[/...]}. */
  void route(HttpServletRequest req, HttpServletResponse resp, String rest, String base) throws IOException {
    String method = req.getMethod();
    if (rest.isEmpty() || rest.equals("/")) {
      requireMethod(method, "POST");
      begin(req, resp);
      return;
    }
    String[] parts = rest.substring(1).split("/", -1);
    String id = Endpoints.checkId(parts[0]);
    if (parts.length == 1) {
      switch (method) {
        case "GET", "HEAD" -> progress(req, resp, id);
        case "DELETE" -> abort(req, resp, id);
        default -> throw Problem.methodNotAllowed("GET, HEAD, DELETE");
      }
    } else if (parts.length == 3 && parts[1].equals("segments")) {
      requireMethod(method, "PUT");
      append(req, resp, id, index(parts[2]));
    } else if (parts.length == 2 && parts[1].equals("finish")) {
      requireMethod(method, "POST");
      finish(req, resp, id, base);
    } else {
      throw new Problem(404, "not_found", "There is nothing at this address.");
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw Problem.methodNotAllowed(allowed);
    }
  }

  private static long index(String s) {
    if (!s.matches("[0-9]{1,10}")) {
      throw new InvalidArgumentException("A segment index is a whole number from 0.");
    }
    return Long.parseLong(s);
  }

  static String token(HttpServletRequest req) {
    String token = req.getHeader("OTS-Delete-Token");
    if (token == null || token.isEmpty()) {
      throw new InvalidArgumentException("Send the deletion token in the OTS-Delete-Token header.");
    }
    return token;
  }

  private void begin(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    CreateAccess.Admitted admitted = access.admit(req, resp);
    limits.countCreate(admitted.client(), resp);
    Creator creator = admitted.creator();
    if (!Bodies.mediaType(req).equals("application/json")) {
      throw Problem.unsupportedMediaType("Start an upload with application/json: {\"segmentSize\": n, \"ttl\": s}.");
    }
    JsonNode body = bodies.object(Bodies.bounded(req, Bodies.SMALL, n -> { }));
    JsonNode seg = body.get("segmentSize");
    if (seg == null || !seg.canConvertToInt() || !seg.isIntegralNumber()) {
      throw new InvalidArgumentException("\"segmentSize\" (plaintext bytes per segment) is required.");
    }
    JsonNode ttl = body.get("ttl");
    Duration t = null;
    if (ttl != null && !ttl.isNull()) {
      if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
        throw new InvalidArgumentException("\"ttl\" must be a whole number of seconds.");
      }
      t = Duration.ofSeconds(ttl.asLong());
    }
    io.onetimeshare.ShareOptions.Builder o = io.onetimeshare.ShareOptions.builder().creator(creator.display());
    if (t != null) {
      o.ttl(t);
    }
    Uploads.applyNotify(o, Bodies.text(body, "notify", false), callbacks);
    UploadTicket ticket = ots.beginUpload(seg.asInt(), o.build());
    int sealed = ticket.segmentSize() + 16;
    ObjectNode answer = out.object().put("id", ticket.id()).put("deleteToken", ticket.deleteToken())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(ticket.expiresAt()))
        .put("segmentSize", ticket.segmentSize())
        .put("maxRequestBytes", (long) Math.max(1, REQUEST_BYTES / sealed) * sealed);
    if (ticket.notifySecret() != null) {
      answer.put("notifySecret", ticket.notifySecret());
    }
    out.json(resp, 201, answer);
  }

  private void progress(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limits.countAccess(limits.client(req), resp); // asked only after a failure: counted like a peek
    UploadProgress p = ots.uploadProgress(id, token(req));
    out.json(resp, 200, progressJson(p));
  }

  private ObjectNode progressJson(UploadProgress p) {
    return out.object().put("id", p.upload().id()).put("segments", p.segments()).put("bytes", p.bytes())
        .put("lastSegmentReceived", p.sawLast()).put("segmentSize", p.upload().segmentSize())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(p.upload().expiresAt()));
  }

  private void append(HttpServletRequest req, HttpServletResponse resp, String id, long first) throws IOException {
    String token = token(req);
    UploadProgress p = ots.uploadProgress(id, token); // authorise before reading a byte
    if (!Bodies.mediaType(req).equals("application/octet-stream")) {
      throw Problem.unsupportedMediaType("Send sealed segments as application/octet-stream.");
    }
    int sealed = p.upload().sealedSegmentBytes();
    long cap = (long) Math.max(1, REQUEST_BYTES / sealed) * sealed;
    long count = ots.appendSegments(id, token, first, limits.upload(req, limits.client(req), cap, false));
    out.json(resp, 200, out.object().put("id", id).put("segments", count));
  }

  private void finish(HttpServletRequest req, HttpServletResponse resp, String id, String base) throws IOException {
    limits.countAccess(limits.client(req), resp);
    String token = token(req);
    if (!Bodies.mediaType(req).equals("application/json")) {
      throw Problem.unsupportedMediaType("Finish with application/json: {\"header\": \"<base64url>\"}.");
    }
    String header = Bodies.text(bodies.object(Bodies.bounded(req, Bodies.SMALL, n -> { })), "header", false);
    if (header == null || header.length() > 200) {
      throw new InvalidArgumentException("\"header\" (the envelope header, base64url) is required.");
    }
    ots.finishUpload(id, token, decode(header, "header"));
    out.json(resp, 201, out.object().put("id", id).put("link", base + "/s/" + id)
        .put("receipt", base + "/r/" + id));
  }

  private void abort(HttpServletRequest req, HttpServletResponse resp, String id) {
    limits.countAccess(limits.client(req), resp);
    ots.abortUpload(id, token(req));
    resp.setStatus(204);
  }

  /** {@code POST /api/secrets/{id}/open} with a proof: the envelope, unopened. */
  void openSealed(HttpServletResponse resp, String id, String proof, io.onetimeshare.spi.Charge.Batch charges)
      throws IOException {
    byte[] p = decode(proof, "proof");
    if (p.length != 32) {
      throw new InvalidArgumentException("A proof is 43 base64url characters (32 bytes).");
    }
    try (SealedSecret s = ots.openSealed(id, p, charges)) {
      resp.setStatus(200);
      resp.setContentType("application/octet-stream");
      resp.setHeader("OTS-Envelope", "v1");
      if (s.length() >= 0) {
        resp.setContentLengthLong(s.length()); // a store failure midway leaves the body short, never "complete"
      }
      copy(s.envelope(), resp.getOutputStream());
    }
  }

  /**
   * Copies ciphertext in 256 KiB reads and writes: {@code InputStream.transferTo} moves 8 KiB at a time on JDK 17,
   * each through the container's aggregation buffer; a write this large goes to the connection as it is (issue 25).
   */
  private static void copy(java.io.InputStream in, java.io.OutputStream out) throws IOException {
    byte[] buf = new byte[256 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
  }

  /** {@code GET /api/secrets/{id}/receipt}: the secret's state, for the holder of its deletion token. */
  void receipt(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
    limits.countAccess(limits.client(req), resp);
    SecretStatus s = ots.status(id, token(req));
    ObjectNode body = out.object().put("id", s.id()).put("state", s.state().name().toLowerCase(Locale.ROOT))
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(s.expiresAt()));
    if (s.at() != null) {
      body.put("at", DateTimeFormatter.ISO_INSTANT.format(s.at()));
    }
    out.json(resp, 200, body);
  }

  private static byte[] decode(String b64, String what) {
    try {
      return Base64.getUrlDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("The " + what + " is not valid base64url.");
    }
  }
}
