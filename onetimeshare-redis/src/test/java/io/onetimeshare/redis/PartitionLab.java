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
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Redis topologies for partition tests (issue 35): each node on its own loopback address (127.0.0.0/8 is all on
 * {@code lo}), talking to the others from that address ({@code bind-source-addr}), so an {@code iptables} rule on
 * {@code lo} between two addresses cuts exactly those two apart while the tests (from 127.0.0.1) still reach both.
 * Every rule carries a unique comment and is removed by exactly the arguments that added it; a chain is never flushed.
 */
final class PartitionLab implements AutoCloseable {
  /** A redis-server or redis-sentinel on its own address. */
  static final class Node {
    final String host;
    final int port;
    final Path dir;
    final List<String> args;
    Process process;

    Node(String host, int port, Path dir, List<String> args) {
      this.host = host;
      this.port = port;
      this.dir = dir;
      this.args = args;
    }

    String address() {
      return host + ":" + port;
    }

    void start() throws Exception {
      process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile())).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException(args.get(0) + " exited: " + Files.readString(dir.resolve("log")));
        }
        try {
          if (command("PING").startsWith("+PONG")) {
            return;
          }
        } catch (IOException e) {
          Thread.sleep(50);
        }
      }
      throw new IOException(args.get(0) + " did not answer on " + address());
    }

    void kill() throws InterruptedException {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    /** One inline command, its whole first reply read (up to 64 KiB or 300 ms of quiet). */
    String command(String line) throws IOException {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 1000);
        s.setSoTimeout(2000);
        OutputStream out = s.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        int n = in.read(buf);
        int total = Math.max(0, n);
        s.setSoTimeout(50);
        try {
          while (n > 0 && total < buf.length) {
            n = in.read(buf, total, buf.length - total);
            total += Math.max(0, n);
          }
        } catch (java.net.SocketTimeoutException e) {
          // the reply is complete
        }
        return new String(buf, 0, total, StandardCharsets.US_ASCII);
      }
    }

    String log() {
      try {
        return Files.readString(dir.resolve("log"));
      } catch (IOException e) {
        return "";
      }
    }
  }

  final List<Node> redis = new ArrayList<>();
  final List<Node> sentinels = new ArrayList<>();
  private final List<List<String>> rules = new ArrayList<>();
  private final Thread healOnExit = new Thread(this::healAll, "heal-partitions");
  final Path root;
  final int net;

  private PartitionLab() throws IOException {
    root = Files.createTempDirectory("ots-partition");
    // a /24 of our own inside 127.0.0.0/8, so two labs (or a lab and anything else) never share addresses
    net = ThreadLocalRandom.current().nextInt(16, 250);
    Runtime.getRuntime().addShutdownHook(healOnExit);
  }

  String host(int i) {
    return "127." + net + ".0." + i;
  }

  private static int freePort(String host, boolean bus) throws IOException {
    for (int i = 0; i < 200; i++) {
      int p = ThreadLocalRandom.current().nextInt(20_000, 50_000);
      if (free(host, p) && (!bus || free(host, p + 10_000))) {
        return p;
      }
    }
    throw new IOException("no free port on " + host);
  }

  private static boolean free(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Node redisNode(int i, List<String> extra, boolean bus) throws IOException {
    String h = host(i);
    int port = freePort(h, bus);
    Path dir = Files.createDirectories(root.resolve("n" + i));
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", h,
        "--bind-source-addr", h, "--dir", dir.toString(), "--save", "", "--protected-mode", "no", "--loglevel",
        "notice", "--appendonly", "yes", "--appendfsync", "always", "--repl-timeout", "5",
        // a replica that resyncs starts at once instead of after Redis's default 5 s wait for more replicas
        "--repl-diskless-sync-delay", "0"));
    cmd.addAll(extra);
    Node n = new Node(h, port, dir, cmd);
    redis.add(n);
    return n;
  }

  /** 3 primaries and 3 replicas, node timeout 2 s, as docs/operations.md deploys a Cluster. */
  static PartitionLab cluster() throws Exception {
    PartitionLab lab = new PartitionLab();
    try {
      for (int i = 1; i <= 6; i++) {
        Node n = lab.redisNode(i, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "2000", "--cluster-announce-ip", lab.host(i)), true);
        n.start();
      }
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      lab.redis.forEach(n -> cmd.add(n.address()));
      cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: " + out);
      }
      lab.awaitClusterHealthy(30);
      return lab;
    } catch (Exception e) {
      lab.close();
      throw e;
    }
  }

  /** 1 primary, 2 replicas, 3 Sentinels (quorum 2, down-after 2 s). */
  static PartitionLab sentinel() throws Exception {
    PartitionLab lab = new PartitionLab();
    try {
      Node primary = lab.redisNode(1, List.of(), false);
      primary.start();
      for (int i = 2; i <= 3; i++) {
        lab.redisNode(i, List.of("--replicaof", primary.host, Integer.toString(primary.port),
            "--replica-announce-ip", lab.host(i)), false).start();
      }
      for (int i = 11; i <= 13; i++) {
        String h = lab.host(i);
        int port = freePort(h, false);
        Path dir = Files.createDirectories(lab.root.resolve("s" + i));
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
            "port " + port, "bind " + h, "bind-source-addr " + h, "sentinel announce-ip " + h, "dir " + dir,
            "protected-mode no",
            "sentinel monitor ots " + primary.host + " " + primary.port + " 2",
            "sentinel down-after-milliseconds ots 2000", "sentinel failover-timeout ots 6000",
            "sentinel parallel-syncs ots 1", ""));
        Node s = new Node(h, port, dir, List.of("redis-sentinel", conf.toString()));
        lab.sentinels.add(s);
        s.start();
      }
      lab.awaitSentinelsSee(primary, 2, 30);
      return lab;
    } catch (Exception e) {
      lab.close();
      throw e;
    }
  }

  String sentinelUri() {
    StringBuilder b = new StringBuilder("redis-sentinel://");
    for (int i = 0; i < sentinels.size(); i++) {
      b.append(i == 0 ? "" : ",").append(sentinels.get(i).address());
    }
    return b.append("#ots").toString();
  }

  List<String> seeds() {
    List<String> s = new ArrayList<>();
    redis.forEach(n -> s.add("redis://" + n.address()));
    return s;
  }

  /** The node that is a primary with slots, or the Sentinels' primary. */
  Node primary() throws IOException {
    for (Node n : redis) {
      if (n.alive() && info(n).contains("role:master") && (sentinels.isEmpty() ? ownsSlots(n) : true)) {
        if (!sentinels.isEmpty()) {
          String named = sentinels.get(0).command("SENTINEL get-master-addr-by-name ots");
          if (!named.contains(n.host)) {
            continue;
          }
        }
        return n;
      }
    }
    throw new IOException("no primary found");
  }

  private boolean ownsSlots(Node n) throws IOException {
    for (String line : n.command("CLUSTER NODES").split("\n")) {
      if (line.contains("myself") && line.contains("master")) {
        return line.trim().split(" ").length > 8;
      }
    }
    return false;
  }

  String info(Node n) {
    try {
      return n.command("INFO replication");
    } catch (IOException e) {
      return "";
    }
  }

  void awaitClusterHealthy(int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      int masters = 0;
      int linked = 0;
      for (Node n : redis) {
        if (!n.alive()) {
          ok = false;
          break;
        }
        try {
          last = n.command("CLUSTER INFO");
          ok &= last.contains("cluster_state:ok");
          String i = info(n);
          if (i.contains("role:master") && ownsSlots(n)) {
            masters += online(i) >= 1 ? 1 : 0;
          } else if (i.contains("master_link_status:up")) {
            linked++;
          }
        } catch (IOException e) {
          ok = false;
        }
      }
      if (ok && masters == 3 && linked == 3) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("the cluster did not become healthy: " + last);
  }

  void awaitSentinelsSee(Node primary, int replicas, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (Node s : sentinels) {
        try {
          String m = s.command("SENTINEL master ots");
          ok &= m.contains("num-slaves") && m.contains(primary.host) && m.contains("num-other-sentinels");
          String r = s.command("SENTINEL replicas ots");
          ok &= count(r, "master-link-status") >= replicas && !r.contains("s_down");
        } catch (IOException e) {
          ok = false;
        }
      }
      if (ok && online(info(primary)) == replicas) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("the Sentinels did not settle on " + primary.address());
  }

  /** The Sentinels agree on one primary that has {@code replicas} linked replicas. */
  Node awaitSentinelHealthy(int replicas, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        String named = null;
        boolean agree = true;
        for (Node s : sentinels) {
          String a = s.command("SENTINEL get-master-addr-by-name ots");
          named = named == null ? a : named;
          agree &= a.equals(named);
        }
        if (agree) {
          for (Node n : redis) {
            if (n.alive() && named.contains(n.host) && online(info(n)) == replicas) {
              int linked = 0;
              for (Node r : redis) {
                linked += r != n && info(r).contains("master_link_status:up") ? 1 : 0;
              }
              if (linked == replicas) {
                return n;
              }
            }
          }
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new IOException("the Sentinel topology did not heal");
  }

  /** Replicas in state online, from a primary's INFO replication. */
  static int online(String info) {
    return count(info, "state=online");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Cuts {@code a} from every address in {@code others}, both ways. Returns the cut, to heal it alone. */
  synchronized List<List<String>> cut(String a, List<String> others) throws Exception {
    String tag = "ots-part-" + UUID.randomUUID();
    List<List<String>> added = new ArrayList<>();
    for (String b : others) {
      for (String[] dir : new String[][] {{a, b}, {b, a}}) {
        List<String> spec = List.of("INPUT", "-i", "lo", "-s", dir[0], "-d", dir[1], "-j", "DROP", "-m", "comment",
            "--comment", tag);
        iptables("-I", spec);
        rules.add(spec);
        added.add(spec);
      }
    }
    return added;
  }

  synchronized void heal(List<List<String>> cut) {
    for (List<String> spec : cut) {
      if (rules.remove(spec)) {
        try {
          iptables("-D", spec);
        } catch (Exception e) {
          // reported by healAll's final check
        }
      }
    }
  }

  synchronized void healAll() {
    for (List<String> spec : new ArrayList<>(rules)) {
      try {
        iptables("-D", spec);
      } catch (Exception e) {
        // best effort on the way out
      }
    }
    rules.clear();
  }

  private static void iptables(String op, List<String> spec) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5", op));
    cmd.addAll(spec);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("iptables " + op + " failed: " + out);
    }
  }

  /** Whether this machine can make partitions: root, iptables, and a rule on lo that can be added and removed. */
  static boolean available() {
    try {
      List<String> probe = List.of("INPUT", "-i", "lo", "-s", "127.254.254.1", "-d", "127.254.254.2", "-j", "DROP",
          "-m", "comment", "--comment", "ots-part-probe-" + UUID.randomUUID());
      iptables("-I", probe);
      iptables("-D", probe);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    healAll();
    try {
      Runtime.getRuntime().removeShutdownHook(healOnExit);
    } catch (IllegalStateException e) {
      // shutting down already
    }
    for (Node n : sentinels) {
      try {
        n.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Node n : redis) {
      try {
        n.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
