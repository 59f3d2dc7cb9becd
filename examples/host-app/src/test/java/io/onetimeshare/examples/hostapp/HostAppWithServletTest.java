package io.onetimeshare.examples.hostapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

class HostAppWithServletTest {
  @Test
  void hostAppServesItsOwnPagesAndOneTimeShare() throws Exception {
    try (OneTimeShare ots = OneTimeShare.builder().build()) {
      Server server = HostAppWithServlet.start("127.0.0.1", 0, ots);
      try {
        String base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        HttpClient http = HttpClient.newHttpClient();
        assertEquals("hello from the host app", http.send(HttpRequest.newBuilder(URI.create(base + "/hello")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/share/api/secrets"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"s\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, c.statusCode());
        assertTrue(c.body().contains(base + "/share/s/"), c.body());
        // the host app can also use the same instance directly
        String id = c.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        assertTrue(ots.peek(id).isPresent());
      } finally {
        server.stop();
      }
    }
  }
}
