package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.RateLimit;
import io.onetimeshare.memory.InMemoryRateLimiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet deployed in a real container under the prefix {@code /share/*}; one subclass per container. */
abstract class DeployedServletContract {
  protected final OneTimeShare ots = OneTimeShare.builder().build();
  protected String base;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Deploys the servlet at context "/" with mapping "/share/*" on a free loopback port; returns the port. */
  protected abstract int deploy(OneTimeShareServlet servlet) throws Exception;

  protected abstract void undeploy() throws Exception;

  @BeforeEach
  void up() throws Exception {
    ServletSettings settings = ServletSettings.builder()
        .openLimiter(InMemoryRateLimiter.builder(RateLimit.parse("1000/1h")).build()).build();
    base = "http://127.0.0.1:" + deploy(new OneTimeShareServlet(ots, settings)) + "/share";
  }

  @AfterEach
  void down() throws Exception {
    undeploy();
    ots.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void apiWorksUnderAPrefix() throws Exception {
    HttpResponse<String> c = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "multipart/form-data; boundary=zz").POST(HttpRequest.BodyPublishers.ofString(
            "--zz\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n300\r\n"
                + "--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nfrom a container\r\n--zz--\r\n")));
    assertEquals(201, c.statusCode(), c.body());
    String id = field(c.body(), "id");
    String key = field(c.body(), "key");
    assertEquals(base + "/s/" + id + "#" + key, field(c.body(), "link"));
    assertEquals(base + "/api/secrets/" + id, c.headers().firstValue("Location").orElseThrow());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))).statusCode());
    HttpRequest.Builder open = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
            "key=" + key));
    HttpResponse<String> o = send(open);
    assertEquals(200, o.statusCode());
    assertEquals("from a container", o.body());
    assertTrue(o.headers().firstValue("RateLimit-Limit").isPresent());
    assertEquals(404, send(open).statusCode());
    assertEquals(405, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))).statusCode());
  }

  @Test
  void pagesAndRedirectUnderAPrefix() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base)));
    assertEquals(302, r.statusCode());
    assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/share/"));
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("assets/create.js"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/assets/app.css"))).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health"))).statusCode());
  }
}
