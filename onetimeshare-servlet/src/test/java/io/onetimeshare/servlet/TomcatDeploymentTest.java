package io.onetimeshare.servlet;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** The servlet in embedded Tomcat 11. */
class TomcatDeploymentTest extends DeployedServletContract {
  private Tomcat tomcat;

  @Override
  protected int deploy(OneTimeShareServlet servlet) throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("ots-tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", null);
    Tomcat.addServlet(ctx, "ots", servlet);
    ctx.addServletMapping("/share/*", "ots");
    tomcat.start();
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  protected void undeploy() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
