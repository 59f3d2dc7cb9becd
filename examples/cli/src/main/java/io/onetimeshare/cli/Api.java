package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/** The server's HTTP API v1 (docs/http-api.md), as far as the command-line client needs it. */
final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** An API token for creating (issue 21), sent with the request that begins an upload only; null for none. */
  private final @org.jspecify.annotations.Nullable String bearer;

  Api(URI base) {
    this(base, null);
  }

  Api(URI base, @org.jspecify.annotations.Nullable String bearer) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.bearer = bearer;
  }

  URI base() {
    return base;
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
  }

  private JsonNode json(HttpRequest r, int expected) {
    HttpResponse<byte[]> res = send(r, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body;
    try {
      body = res.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(res.body());
    } catch (IOException e) {
      throw new CliException(Ots.UNAVAILABLE, "The server answered " + res.statusCode() + " with something that is "
          + "not JSON; is " + base + " a OneTimeShare server?");
    }
    if (res.statusCode() != expected) {
      throw failure(res.statusCode(), body);
    }
    return body;
  }

  private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(r, handler);
    } catch (ConnectException e) {
      throw new CliException(Ots.UNAVAILABLE, "Cannot connect to " + base + ".");
    } catch (IOException e) {
      throw new CliException(Ots.UNAVAILABLE, "The connection to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Ots.FAILURE, "Interrupted.");
    }
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

  JsonNode begin(int segmentSize, Duration ttl) {
    return begin(segmentSize, ttl, null);
  }

  /** Begins an upload; {@code notify} is a callback URL the server tells how the secret ends (issue 22), or null. */
  JsonNode begin(int segmentSize, Duration ttl, @org.jspecify.annotations.Nullable String notify) {
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode().put("segmentSize", segmentSize).put("ttl", ttl.toSeconds());
    if (notify != null) {
      o.put("notify", notify);
    }
    String body = o.toString();
    HttpRequest.Builder r = request("api/uploads").header("Content-Type", "application/json");
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return json(r.POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
  }

  /** Asks for a secret (issue 23): stores a request holding {@code publicKey}. */
  JsonNode ask(byte[] publicKey, Duration ttl, @org.jspecify.annotations.Nullable String notify) {
    com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode().put("publicKey", b64(publicKey))
        .put("ttl", ttl.toSeconds());
    if (notify != null) {
      o.put("notify", notify);
    }
    String body = o.toString();
    HttpRequest.Builder r = request("api/requests").header("Content-Type", "application/json");
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return json(r.POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
  }

  /** A request's public key and state, for its responder. */
  JsonNode secretRequest(String id) {
    return json(request("api/requests/" + id).GET().build(), 200);
  }

  /** Begins the one answer to a request: an upload under the request's id. */
  JsonNode beginAnswer(String id, int segmentSize) {
    return json(request("api/requests/" + id + "/answer").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"segmentSize\":" + segmentSize + "}")).build(), 201);
  }

  /** Sends sealed segments from {@code first}; returns the segments the server holds afterwards. */
  long append(String id, String token, long first, byte[] buf, int off, int len) {
    return json(request("api/uploads/" + id + "/segments/" + first).header("OTS-Delete-Token", token)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(buf, off, len)).build(), 200).path("segments").asLong();
  }

  long progress(String id, String token) {
    return json(request("api/uploads/" + id).header("OTS-Delete-Token", token).GET().build(), 200)
        .path("segments").asLong();
  }

  void finish(String id, String token, byte[] header) {
    json(request("api/uploads/" + id + "/finish").header("OTS-Delete-Token", token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"header\":\"" + b64(header) + "\"}")).build(), 201);
  }

  void abortQuietly(String id, String token) {
    send(request("api/uploads/" + id).header("OTS-Delete-Token", token).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  JsonNode peek(String id) {
    return json(request("api/secrets/" + id).GET().build(), 200);
  }

  /** The secret's envelope, streamed; consumed on the server as soon as this returns. */
  InputStream openSealed(String id, byte[] proof) {
    HttpResponse<InputStream> res = send(request("api/secrets/" + id + "/open").timeout(Duration.ofDays(1))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"proof\":\"" + b64(proof) + "\"}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      JsonNode body;
      try (InputStream in = res.body()) {
        body = JSON.readTree(in.readNBytes(64 * 1024));
      } catch (IOException | RuntimeException e) {
        body = JSON.createObjectNode();
      }
      throw failure(res.statusCode(), body == null ? JSON.createObjectNode() : body);
    }
    CryptoWarmup.startIf(res.headers().firstValueAsLong("Content-Length").orElse(0));
    return res.body();
  }

  JsonNode receipt(String id, String token) {
    return json(request("api/secrets/" + id + "/receipt").header("OTS-Delete-Token", token).GET().build(), 200);
  }

  void delete(String id, String token) {
    json(request("api/secrets/" + id).header("OTS-Delete-Token", token).DELETE().build(), 204);
  }
}
