package io.onetimeshare.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short certification run against a real in-process server: it must see zero errors and zero violations. */
class LoadCertifierTest {
  @TempDir
  Path out;

  @Test
  void shortRunAgainstARealServerWithRateLimitingOn() throws Exception {
    OneTimeShare ots = OneTimeShare.builder().argon2(new Argon2idParameters(1024, 1, 1)).build();
    Server server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, ServletSettings.builder()
        .createLimiter(InMemoryRateLimiter.builder(RateLimit.parse("100000/1h")).build())
        .openLimiter(InMemoryRateLimiter.builder(RateLimit.parse("100000/1h")).build())
        .trustedProxies("127.0.0.1").build())), "/*");
    server.setHandler(ctx);
    server.start();
    try {
      for (String mode : new String[] {"nopass", "passphrase"}) {
        LoadCertifier l = new LoadCertifier(LoadCertifier.parse(new String[] {"--target",
            "http://127.0.0.1:" + c.getLocalPort(), "--mode", mode, "--phases", "2:1,4:1", "--xff", "--out",
            out.toString(), "--label", mode}));
        String md = l.run();
        assertEquals(0, l.totals()[0], md);
        assertEquals(0, l.totals()[1], md);
        assertTrue(md.contains("| Warmup | 1s | 2 |"), md);
        assertTrue(Files.readString(out.resolve(mode + ".json")).contains("\"violations\":0"));
      }
    } finally {
      server.stop();
    }
  }

  @Test
  void refusesNonLoopbackTargets() {
    assertThrows(IllegalArgumentException.class,
        () -> LoadCertifier.parse(new String[] {"--target", "http://192.168.1.10:8080"}));
    assertThrows(IllegalArgumentException.class,
        () -> LoadCertifier.parse(new String[] {"--target", "http://example.com"}));
  }
}
