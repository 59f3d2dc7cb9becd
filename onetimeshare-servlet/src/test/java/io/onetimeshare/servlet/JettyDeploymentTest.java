package io.onetimeshare.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The servlet in embedded Jetty 12 (ee10). */
class JettyDeploymentTest extends DeployedServletContract {
  private Server server;

  @Override
  protected int deploy(OneTimeShareServlet servlet) throws Exception {
    server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder(servlet), "/share/*");
    server.setHandler(ctx);
    server.start();
    return c.getLocalPort();
  }

  @Override
  protected void undeploy() throws Exception {
    server.stop();
  }
}
