package io.onetimeshare.examples.hostapp;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An existing web application (here: one "/hello" servlet on Jetty 12) that adds OneTimeShare under "/share/*".
 * The app builds and owns the {@link OneTimeShare}; the servlet only serves it.
 */
public final class HostAppWithServlet {
  private HostAppWithServlet() {}

  /** The host app's own servlet. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain; charset=utf-8");
      resp.getWriter().write("hello from the host app");
    }
  }

  /** Starts the host app on {@code port} (0 = any free port) and returns the running server. */
  public static Server start(String host, int port, OneTimeShare ots) throws Exception {
    Server server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost(host);
    c.setPort(port);
    server.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder(new Hello()), "/hello");
    ServletSettings settings = ServletSettings.builder()
        .createLimiter(InMemoryRateLimiter.builder(RateLimit.parse("100/1h")).build())
        .openLimiter(InMemoryRateLimiter.builder(RateLimit.parse("300/1h")).build())
        .build();
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, settings)), "/share/*");
    server.setHandler(ctx);
    server.start();
    return server;
  }

  public static void main(String[] args) throws Exception {
    try (OneTimeShare ots = OneTimeShare.builder().build()) {
      Server server = start("127.0.0.1", 8081, ots);
      System.out.println("host app on http://127.0.0.1:8081/hello, OneTimeShare on http://127.0.0.1:8081/share/");
      server.join();
    }
  }
}
