package io.onetimeshare.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API for the tests (issue 37): s3proxy's runnable jar (copied under {@code target/s3proxy} by the build, or
 * named by {@code -Dots.s3proxy.jar}) with its filesystem backend, on a free loopback port, as a process of its own;
 * stopped with {@link #close}. It can be stopped and started again on the same port and data ({@link #stop},
 * {@link #start}) to stand for an outage.
 */
public final class S3ProxyProcess implements AutoCloseable {
  public static final String ACCESS_KEY = "ots-test-access";
  public static final String SECRET_KEY = "ots-test-secret-key";
  public final int port;
  public final Path data;
  private final Path config;
  private Process process;

  private S3ProxyProcess(int port, Path dir) throws IOException {
    this.port = port;
    this.data = Files.createDirectories(dir.resolve("data"));
    this.config = dir.resolve("s3proxy.conf");
    Files.writeString(config, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + data) + "\n");
  }

  /** Starts one on a free port, with {@code buckets} made (directories of its filesystem backend). */
  public static S3ProxyProcess start(String... buckets) throws Exception {
    S3ProxyProcess p = new S3ProxyProcess(freePort(), Files.createTempDirectory("ots-s3proxy"));
    for (String b : buckets) {
      Files.createDirectories(p.data.resolve(b));
    }
    p.start();
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The jar: {@code -Dots.s3proxy.jar}, else where this module's build copies it. */
  public static Path jar() {
    String named = System.getProperty("ots.s3proxy.jar");
    if (named != null) {
      return Path.of(named);
    }
    for (Path p : List.of(Path.of("target/s3proxy/s3proxy.jar"), Path.of("../onetimeshare-s3/target/s3proxy/s3proxy.jar"),
        Path.of("../../onetimeshare-s3/target/s3proxy/s3proxy.jar"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no s3proxy jar: build onetimeshare-s3 (mvn process-test-resources) first");
  }

  public synchronized void start() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar().toAbsolutePath().toString(),
        "--properties", config.toString()).redirectErrorStream(true)
        .redirectOutput(config.resolveSibling("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited: " + Files.readString(config.resolveSibling("s3proxy.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("s3proxy did not listen within 60 s");
  }

  /** Stops it (SIGKILL: an outage, not a goodbye); its data stays for {@link #start}. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A store on this s3proxy's {@code bucket}, path-style, with the test credentials. */
  public S3BodyStore store(String bucket, String prefix) {
    return S3BodyStore.builder(bucket).endpoint(endpoint()).pathStyle(true).prefix(prefix)
        .credentials(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .timeouts(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(10)).build();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
