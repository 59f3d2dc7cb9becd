package io.onetimeshare.servlet.notify;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** An https receiver on loopback with a certificate for "localhost" made by the JDK's keytool. */
final class TlsReceiver implements AutoCloseable {
  private static final char[] PASS = "test-only".toCharArray();
  private final HttpsServer server;
  private final KeyStore store;
  private final AtomicInteger hits = new AtomicInteger();

  private TlsReceiver(HttpsServer server, KeyStore store) {
    this.server = server;
    this.store = store;
  }

  static TlsReceiver start(Path dir) throws Exception {
    Path ks = dir.resolve("receiver.p12");
    if (!Files.exists(ks)) {
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "receiver", "-keyalg", "EC",
          "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
          "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", new String(PASS))).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed");
      }
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASS);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    TlsReceiver r = new TlsReceiver(s, store);
    s.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      r.hits.incrementAndGet();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    s.start();
    return r;
  }

  String url(String host) {
    return "https://" + host + ":" + server.getAddress().getPort() + "/tls";
  }

  int hits() {
    return hits.get();
  }

  /** A client that trusts this receiver's certificate (and nothing else). */
  SSLSocketFactory clientFactory() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx.getSocketFactory();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
