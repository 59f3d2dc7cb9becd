package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servlet created by the container (as from web.xml) and configured only through init parameters. */
class InitParamsDeploymentTest {
  @TempDir
  Path data;

  @Test
  void configuredFromInitParameters() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("ots-tomcat").toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", null);
    Wrapper w = Tomcat.addServlet(ctx, "ots", OneTimeShareServlet.class.getName());
    w.addInitParameter("storage", "file");
    w.addInitParameter("data-dir", data.toString());
    w.addInitParameter("max-size", "1KB");
    w.addInitParameter("rate-create", "2/1h");
    w.addInitParameter("public-url", "https://share.example.test");
    w.setLoadOnStartup(1);
    ctx.addServletMapping("/*", "ots");
    tomcat.start();
    try {
      String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}"));
      HttpResponse<String> r = http.send(create.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"link\":\"https://share.example.test/s/"), r.body());
      try (var files = Files.list(data)) {
        assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".ots")).count(),
            "file storage from init parameters");
      }
      HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2000])).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(413, big.statusCode());
      assertEquals(429, http.send(create.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
