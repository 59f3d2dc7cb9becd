package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The server's HTTP API v1 (docs/http-api.md), as far as the command-line client needs it. Requests go over {@link
 * HttpURLConnection}: it streams a body between the socket and our buffers on the calling thread, where {@code
 * java.net.http} hands every 16 KiB through its selector thread (1.8 s of CPU per GiB opened on two cores) and sets up
 * TLS and its trust store even for a plain {@code http://} server (a third of a small share's start-up); issue 25,
 * lever 2, measured per thread. No proxy, no redirects, no caches; every request with a body sends it with a fixed
 * length, so the connection never resends one on its own (an open resent after a lost answer would find the secret
 * gone). Connections are kept alive between requests.
 */
final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  /** Between two reads of an answer (a download may take as long as it needs while bytes keep coming). */
  private static final int READ_TIMEOUT_MS = 120_000;
  private final URI base;

  /** An API token for creating (issue 21), sent with the request that begins an upload only; null for none. */
  private final @Nullable String bearer;

  Api(URI base) {
    this(base, null);
  }

  Api(URI base, @Nullable String bearer) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.bearer = bearer;
  }

  URI base() {
    return base;
  }

  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final java.util.regex.Pattern NOTIFY_SECRET =
      java.util.regex.Pattern.compile("whsec_[A-Za-z0-9+/]{20,200}={0,2}");

  /**
   * A field of the server's answer that {@code ots} prints or puts in a link, checked against its documented form
   * first (issue 36, finding 11): a server that sends anything else (a terminal escape that writes the clipboard, a
   * line break that forges a second link) is refused, and its text is never printed.
   */
  static String checked(JsonNode answer, String field) {
    String v = answer.path(field).asText("");
    java.util.regex.Pattern form = switch (field) {
      case "id" -> ID;
      case "deleteToken", "ownerToken", "answerToken" -> TOKEN;
      case "notifySecret" -> NOTIFY_SECRET;
      default -> throw new IllegalArgumentException(field);
    };
    if (!form.matcher(v).matches()) {
      throw new CliException(Ots.FAILURE, "The server's answer has a \"" + field + "\" that is not of the documented "
          + "form (docs/http-api.md); is --server an OneTimeShare server? Nothing was printed from it.");
    }
    return v;
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Sends a request (with its body, if any) and returns the connection once the answer's status is read. */
  private HttpURLConnection send(String method, String path, @Nullable String deleteToken, boolean withBearer,
      @Nullable String type, byte @Nullable [] body, int off, int len) throws IOException {
    return send(method, path, deleteToken == null ? null : java.util.Map.entry("OTS-Delete-Token", deleteToken),
        withBearer, type, body, off, len);
  }

  /** As above with {@code credential} (a header's name and value) instead of a deletion token. */
  private HttpURLConnection send(String method, String path, java.util.Map.@Nullable Entry<String, String> credential,
      boolean withBearer, @Nullable String type, byte @Nullable [] body, int off, int len) throws IOException {
    HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
    c.setRequestMethod(method);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout(CONNECT_TIMEOUT_MS);
    c.setReadTimeout(READ_TIMEOUT_MS);
    if (credential != null) {
      c.setRequestProperty(credential.getKey(), credential.getValue());
    }
    if (withBearer && bearer != null) {
      c.setRequestProperty("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      c.setRequestProperty("Content-Type", type);
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(len);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body, off, len);
      }
    }
    c.getResponseCode();
    return c;
  }

  private HttpURLConnection send(String method, String path, @Nullable String deleteToken, @Nullable String json,
      boolean withBearer) throws IOException {
    byte[] b = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    return send(method, path, deleteToken, withBearer, "application/json", b, 0, b == null ? 0 : b.length);
  }

  /** A request and its JSON answer, read to the end (so the connection is kept) and checked against its status. */
  private JsonNode json(String method, String path, @Nullable String deleteToken, @Nullable String json,
      boolean withBearer, int expected) {
    try {
      return answer(send(method, path, deleteToken, json, withBearer), expected);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** Reads a JSON answer to the end and checks its status. */
  private JsonNode answer(HttpURLConnection c, int expected) throws IOException {
    int status = c.getResponseCode();
    byte[] bytes;
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      bytes = in == null ? new byte[0] : in.readNBytes(1 << 20);
    }
    JsonNode body;
    try {
      body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new CliException(Ots.UNAVAILABLE, "The server answered " + status + " with something that is "
          + "not JSON; is " + base + " a OneTimeShare server?");
    }
    if (status != expected) {
      throw failure(status, body == null ? JSON.createObjectNode() : body);
    }
    return body == null ? JSON.createObjectNode() : body;
  }

  private CliException unavailable(IOException e) {
    return e instanceof ConnectException ? new CliException(Ots.UNAVAILABLE, "Cannot connect to " + base + ".")
        : new CliException(Ots.UNAVAILABLE, "The connection to " + base + " failed: " + e.getMessage());
  }

  /** Maps an error answer to the exit code and the server's own message (which never holds a secret). */
  static CliException failure(int status, JsonNode body) {
    String message = body.path("message").asText("The server answered " + status + ".");
    if (status == 401) {
      message += " (ots sends an API token from OTS_TOKEN or --token-file FILE.)";
    }
    int code = switch (status) {
      case 404 -> Ots.NOT_FOUND;
      case 401, 403 -> Ots.DENIED;
      case 400, 405, 409, 413, 415, 429, 507 -> Ots.REFUSED;
      default -> Ots.UNAVAILABLE;
    };
    return new CliException(code, message);
  }

  JsonNode begin(int segmentSize, java.time.Duration ttl) {
    return begin(segmentSize, ttl, null);
  }

  /** Begins an upload; {@code notify} is a callback URL the server tells how the secret ends (issue 22), or null. */
  JsonNode begin(int segmentSize, java.time.Duration ttl, @Nullable String notify) {
    ObjectNode o = JSON.createObjectNode().put("segmentSize", segmentSize).put("ttl", ttl.toSeconds());
    if (notify != null) {
      o.put("notify", notify);
    }
    return json("POST", "api/uploads", null, o.toString(), true, 201);
  }

  /** Asks for a secret (issue 23): stores a request holding {@code publicKey}. */
  JsonNode ask(byte[] publicKey, java.time.Duration ttl, @Nullable String notify) {
    ObjectNode o = JSON.createObjectNode().put("publicKey", b64(publicKey)).put("ttl", ttl.toSeconds());
    if (notify != null) {
      o.put("notify", notify);
    }
    return json("POST", "api/requests", null, o.toString(), true, 201);
  }

  /** A request's public key and state, for its responder. */
  JsonNode secretRequest(String id) {
    return json("GET", "api/requests/" + id, null, null, false, 200);
  }

  /** Begins the one answer to a request: an upload under the request's id. */
  /** Takes the request's one answer with the fill link's answer token (issue 36, finding 1). */
  JsonNode beginAnswer(String id, String answerToken, int segmentSize) {
    byte[] b = ("{\"segmentSize\":" + segmentSize + "}").getBytes(StandardCharsets.UTF_8);
    try {
      return answer(send("POST", "api/requests/" + id + "/answer", java.util.Map.entry("OTS-Answer-Token",
          answerToken), false, "application/json", b, 0, b.length), 201);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** Sends sealed segments from {@code first}; returns the segments the server holds afterwards. */
  long append(String id, String token, long first, byte[] buf, int off, int len) {
    try {
      return answer(send("PUT", "api/uploads/" + id + "/segments/" + first, token, false,
          "application/octet-stream", buf, off, len), 200).path("segments").asLong();
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  long progress(String id, String token) {
    return json("GET", "api/uploads/" + id, token, null, false, 200).path("segments").asLong();
  }

  void finish(String id, String token, byte[] header) {
    json("POST", "api/uploads/" + id + "/finish", token, "{\"header\":\"" + b64(header) + "\"}", false, 201);
  }

  void abortQuietly(String id, String token) {
    try {
      send("DELETE", "api/uploads/" + id, token, null, false).disconnect();
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  JsonNode peek(String id) {
    return json("GET", "api/secrets/" + id, null, null, false, 200);
  }

  /** The secret's envelope, streamed; consumed on the server as soon as this returns. */
  InputStream openSealed(String id, byte[] proof) {
    try {
      HttpURLConnection c = send("POST", "api/secrets/" + id + "/open", null,
          "{\"proof\":\"" + b64(proof) + "\"}", false);
      if (c.getResponseCode() != 200) {
        answer(c, 200); // throws the server's refusal
      }
      CryptoWarmup.startIf(c.getContentLengthLong());
      return c.getInputStream();
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  JsonNode receipt(String id, String token) {
    return json("GET", "api/secrets/" + id + "/receipt", token, null, false, 200);
  }

  void delete(String id, String token) {
    json("DELETE", "api/secrets/" + id, token, null, false, 204);
  }
}
