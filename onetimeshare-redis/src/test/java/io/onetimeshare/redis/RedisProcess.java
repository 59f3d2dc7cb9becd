package io.onetimeshare.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A real redis-server process on a free loopback port, started and stopped by tests. */
public final class RedisProcess implements AutoCloseable {
  public final int port;
  final Path dir;
  private final List<String> extra;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extra) {
    this.port = port;
    this.dir = dir;
    this.extra = extra;
  }

  /** A port that is free, and whose cluster bus port (+10000) is free too. */
  public static int freePort() throws IOException {
    for (int i = 0; i < 200; i++) {
      int p = ThreadLocalRandom.current().nextInt(20_000, 50_000);
      if (free(p) && free(p + 10_000)) {
        return p;
      }
    }
    throw new IOException("no free port pair found");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static RedisProcess start(String... extraArgs) throws Exception {
    RedisProcess r = new RedisProcess(freePort(), Files.createTempDirectory("ots-redis"), List.of(extraArgs));
    r.start();
    return r;
  }

  public void start() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
        "127.0.0.1", "--dir", dir.toString(), "--save", "", "--protected-mode", "no", "--loglevel", "warning"));
    cmd.addAll(extra);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      try {
        if (command("PING").startsWith("+PONG")) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("redis-server did not answer on port " + port);
  }

  /** Sends one inline command and returns the first reply line. */
  public String command(String line) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
  }

  /** What {@link #monitor} runs. */
  public interface Action {
    void run() throws Exception;
  }

  /**
   * The names of the commands clients sent while {@code action} ran, in order, as MONITOR shows them (commands a
   * script runs are shown as the script's, marked {@code lua}, and not counted): the round trips on a request's path.
   */
  public List<String> monitor(Action action) throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          StandardCharsets.ISO_8859_1));
      if (!"+OK".equals(in.readLine())) {
        throw new IOException("MONITOR was refused");
      }
      Thread reader = new Thread(() -> {
        try {
          for (String l; (l = in.readLine()) != null; ) {
            lines.add(l);
          }
        } catch (IOException closed) {
          // the socket closed
        }
      });
      reader.setDaemon(true);
      reader.start();
      action.run();
      Thread.sleep(300); // MONITOR's copy of the last command arrives after its answer
      s.close();
      reader.join(2000);
    }
    // the command name only (the arguments hold the body)
    return lines.stream().filter(l -> !l.contains(" lua]"))
        .map(l -> l.replaceAll("^[^\\]]*\\] \"([A-Za-z]+)\".*", "$1").toUpperCase(java.util.Locale.ROOT)).toList();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL: no chance to save anything that is not already in the AOF. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Three masters (no replicas) joined with redis-cli --cluster create; returns them once the cluster is ok. */
  public static List<RedisProcess> startCluster() throws Exception {
    List<RedisProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
          "3000", "--appendonly", "no"));
    }
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (RedisProcess n : nodes) {
      cmd.add("127.0.0.1:" + n.port);
    }
    cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("redis-cli --cluster create failed: " + out);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (RedisProcess n : nodes) {
        ok &= n.bulk("CLUSTER INFO").contains("cluster_state:ok");
      }
      if (ok) {
        return nodes;
      }
      Thread.sleep(100);
    }
    throw new IOException("the cluster did not reach cluster_state:ok");
  }

  public String bulk(String line) throws IOException {
    return command(line);
  }
}
