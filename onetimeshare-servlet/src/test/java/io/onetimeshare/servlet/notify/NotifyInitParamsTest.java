package io.onetimeshare.servlet.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.servlet.OneTimeShareServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22 in a container that creates the servlet (as from web.xml): notifications from init parameters. */
class NotifyInitParamsTest {
  @TempDir
  Path dir;

  @Test
  void aServletConfiguredByInitParametersDeliversUntilUndeployed() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    Path secretFile = Files.writeString(dir.resolve("ops.secret"), secret + "\n");
    try (Receiver receiver = new Receiver()) {
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("ots-tomcat").toString());
      tomcat.setPort(0);
      tomcat.getConnector().setProperty("address", "127.0.0.1");
      Context ctx = tomcat.addContext("", null);
      Wrapper w = Tomcat.addServlet(ctx, "ots", OneTimeShareServlet.class.getName());
      w.addInitParameter("storage", "file");
      w.addInitParameter("data-dir", dir.resolve("vault").toString());
      w.addInitParameter("notify-endpoints", "ops=" + receiver.url("/ops"));
      w.addInitParameter("notify-secret-files", "ops=" + secretFile);
      w.addInitParameter("notify-events", "ops=created+deleted");
      w.addInitParameter("notify-callbacks", "on");
      w.addInitParameter("notify-allow-http", "on");
      w.addInitParameter("notify-allow-ranges", "127.0.0.0/8");
      w.addInitParameter("notify-allow-ports", "any");
      w.setLoadOnStartup(1);
      ctx.addServletMapping("/*", "ots");
      tomcat.start();
      try {
        String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
            + "/api/secrets")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"text\":\"x\",\"notify\":\"" + receiver.url("/cb") + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        String token = r.body().replaceAll(".*\"deleteToken\":\"([^\"]+)\".*", "$1");
        String cbSecret = r.body().replaceAll(".*\"notifySecret\":\"([^\"]+)\".*", "$1");
        assertEquals(204, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/"
            + id)).header("OTS-Delete-Token", token).DELETE().build(), HttpResponse.BodyHandlers.ofString())
            .statusCode());
        assertTrue(receiver.await("/cb", 1, 10).get(0).signedWith(cbSecret));
        var ops = receiver.await("/ops", 2, 10);
        assertEquals(2, ops.size(), "created and deleted, as notify-events says");
        assertTrue(ops.stream().allMatch(h -> h.signedWith(secret)));
      } finally {
        tomcat.stop();
        tomcat.destroy();
      }
      assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("onetimeshare-notify")),
          "undeploying stops the deliverer");
    }
  }

  @Test
  void aBadNotifyParameterFailsTheDeploymentNamingIt() {
    String m = org.junit.jupiter.api.Assertions.assertThrows(io.onetimeshare.InvalidArgumentException.class,
        () -> NotifyConfig.parse(n -> n.equals("notify-endpoints") ? "ops=https://hooks.example.com/x" : null,
            n -> null, "init parameter ")).getMessage();
    assertTrue(m.contains("needs a signing secret") && m.contains("init parameter notify-secret-files"), m);
  }
}
