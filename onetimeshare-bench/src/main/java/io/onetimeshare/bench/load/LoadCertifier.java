package io.onetimeshare.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load certification: drives any server that speaks the HTTP API v1 (or the original stack's subset of it) with
 * a closed-loop or paced user model over phases (default: the original's warmup 10 users 5 s, endurance 30 users
 * 20 s, spike 100 users 5 s, cooldown 10 users 5 s). Each virtual user creates a secret (multipart upload), opens
 * it once, checks the bytes, and every 10th time checks that a second open is refused (a one-time violation
 * otherwise). Latency goes into HdrHistograms per phase; in paced mode it is measured from the request's intended
 * start, so a slow server cannot hide queueing (coordinated omission). Writes a Markdown report and JSON.
 *
 * <pre>
 * java -cp onetimeshare-bench/target/benchmarks.jar io.onetimeshare.bench.load.LoadCertifier \
 *     --target http://127.0.0.1:8080 --mode nopass --pacing 0 --xff --out target/load
 * </pre>
 */
// Why this class is long: it is a command-line tool (options, phases, users, one-time checks and two report
// formats) that must stay a single runnable class for certify.sh; each part is a short method.
public final class LoadCertifier {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  /** Options; see {@link #USAGE}. */
  record Options(URI target, String mode, double pacing, List<int[]> phases, int payload, boolean xff, Path out,
      String label, int prewarmSeconds) {}

  static final String USAGE = """
      Usage: LoadCertifier --target URL [--mode nopass|passphrase|file] [--pacing SECONDS (0 = closed loop)]
             [--phases "10:5,30:20,100:5,10:5"] [--payload BYTES] [--xff] [--out DIR] [--label NAME]
             [--prewarm SECONDS (unmeasured closed-loop load first, 30 users, to let a JIT compile; default 0)]
      Loopback targets only (127.0.0.0/8, localhost, [::1]).""";

  static Options parse(String[] args) {
    URI target = null;
    String mode = "nopass";
    double pacing = 0;
    String phases = "10:5,30:20,100:5,10:5";
    Integer payload = null;
    boolean xff = false;
    Path out = Path.of("target", "load");
    String label = null;
    int prewarm = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--target" -> target = URI.create(args[++i]);
        case "--mode" -> mode = args[++i];
        case "--pacing" -> pacing = Double.parseDouble(args[++i]);
        case "--phases" -> phases = args[++i];
        case "--payload" -> payload = Integer.parseInt(args[++i]);
        case "--xff" -> xff = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--label" -> label = args[++i];
        case "--prewarm" -> prewarm = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    if (target == null) {
      throw new IllegalArgumentException("--target is required\n" + USAGE);
    }
    String host = target.getHost();
    if (host == null || !(host.startsWith("127.") || host.equals("localhost") || host.equals("[::1]"))) {
      throw new IllegalArgumentException("refusing a non-loopback target " + target);
    }
    if (!List.of("nopass", "passphrase", "file").contains(mode)) {
      throw new IllegalArgumentException("--mode is nopass, passphrase or file");
    }
    List<int[]> ph = new ArrayList<>();
    for (String p : phases.split(",")) {
      String[] uv = p.trim().split(":");
      ph.add(new int[] {Integer.parseInt(uv[0]), Integer.parseInt(uv[1])});
    }
    int size = payload != null ? payload : mode.equals("file") ? 1024 * 1024 : 4096;
    return new Options(target, mode, pacing, ph, size, xff, out, label != null ? label : mode + "-p" + pacing,
        prewarm);
  }

  /** Everything measured in one phase. */
  static final class PhaseStats {
    final String name;
    final int users;
    final int seconds;
    final Histogram latency = new ConcurrentHistogram(1, 600_000_000L, 3); // microseconds
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    final AtomicLong completedInWindow = new AtomicLong();
    final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> errorSamples =
        new java.util.concurrent.ConcurrentHashMap<>();

    PhaseStats(String name, int users, int seconds) {
      this.name = name;
      this.users = users;
      this.seconds = seconds;
    }
  }

  private final Options o;
  private final List<PhaseStats> phases = new ArrayList<>();
  private final long[] phaseStartNanos;
  private long t0;

  LoadCertifier(Options o) {
    this.o = o;
    String[] names = {"Warmup", "Endurance", "Spike", "Cooldown"};
    for (int i = 0; i < o.phases().size(); i++) {
      int[] p = o.phases().get(i);
      phases.add(new PhaseStats(i < names.length ? names[i] : "P" + (i + 1), p[0], p[1]));
    }
    phaseStartNanos = new long[phases.size() + 1];
  }

  private int phaseAt(long nanos) {
    for (int i = phases.size() - 1; i >= 0; i--) {
      if (nanos >= phaseStartNanos[i]) {
        return i;
      }
    }
    return 0;
  }

  /** One virtual user. */
  private final class User implements Runnable {
    final int n;
    final AtomicBoolean stop = new AtomicBoolean();
    final String xff;
    final MiniHttp http = new MiniHttp(o.target().getHost(), o.target().getPort());
    long iteration;

    User(int n) {
      this.n = n;
      this.xff = "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    @Override
    public void run() {
      long intended = System.nanoTime();
      long pace = (long) (o.pacing() * 1e9);
      byte[] payload = new byte[o.payload()];
      while (!stop.get() && System.nanoTime() < phaseStartNanos[phases.size()]) {
        // unique bytes per secret so a mix-up is caught; a shared SecureRandom would serialise the users and, at
        // 1 MiB per secret, cost the tool more CPU than the server it measures
        ThreadLocalRandom.current().nextBytes(payload);
        iteration++;
        String passphrase = o.mode().equals("passphrase") ? "pass-" + n + "-" + iteration : null;
        String[] created = timed(intended, () -> create(payload, passphrase));
        intended = next(intended, pace);
        if (created == null) {
          pause(); // a failing server is not hammered in a tight loop
          continue;
        }
        if (stop.get()) {
          continue;
        }
        String cred = passphrase != null ? "passphrase=" + enc(passphrase) : "key=" + enc(created[1]);
        timed(intended, () -> open(created[0], cred, payload, false));
        intended = next(intended, pace);
        if (iteration % 10 == 0 && !stop.get()) {
          // one-time check, outside the latency statistics
          try {
            open(created[0], cred, payload, true);
          } catch (Exception e) {
            // counted by open()
          }
        }
      }
      http.close();
    }

    private void pause() {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private long next(long intended, long pace) {
      if (pace <= 0) {
        return System.nanoTime();
      }
      long nextIntended = intended + pace;
      long now = System.nanoTime();
      // parkNanos, not Thread.sleep: on JDK 17 sleep rounds to whole milliseconds, and every oversleep would be
      // charged to the server as latency (latency counts from the intended start)
      while (nextIntended - now > 0 && !Thread.currentThread().isInterrupted()) {
        java.util.concurrent.locks.LockSupport.parkNanos(nextIntended - now);
        now = System.nanoTime();
      }
      return nextIntended;
    }

    interface Call<T> {
      T run() throws Exception;
    }

    private <T> T timed(long intended, Call<T> call) {
      long start = o.pacing() > 0 ? intended : System.nanoTime();
      PhaseStats ph = phases.get(phaseAt(start));
      ph.requests.incrementAndGet();
      try {
        T v = call.run();
        record(ph, start);
        return v;
      } catch (Exception e) {
        ph.errors.incrementAndGet();
        String key = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        ph.errorSamples.computeIfAbsent(key.length() > 80 ? key.substring(0, 80) : key, k -> new AtomicLong())
            .incrementAndGet();
        record(ph, start);
        return null;
      }
    }

    private void record(PhaseStats ph, long start) {
      long end = System.nanoTime();
      ph.latency.recordValue(Math.max(1, (end - start) / 1000));
      if (end < phaseStartNanos[phaseAt(start) + 1]) {
        ph.completedInWindow.incrementAndGet();
      }
    }

    private String[] create(byte[] payload, String passphrase) throws IOException, InterruptedException {
      String boundary = "ots" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      List<byte[]> parts = new ArrayList<>();
      if (passphrase != null) {
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n" + passphrase
            + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n3600\r\n")
          .getBytes(StandardCharsets.UTF_8));
      parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.bin\"\r\n"
          + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      parts.add(payload);
      parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      MiniHttp.Response r = http.post("/api/secrets", "multipart/form-data; boundary=" + boundary, parts,
          o.xff() ? "X-Forwarded-For: " + xff + "\r\n" : "");
      if (r.status() != 201) {
        throw new IOException("create " + r.status());
      }
      String json = new String(r.body(), StandardCharsets.UTF_8);
      Matcher id = ID.matcher(json);
      if (!id.find()) {
        throw new IOException("create: no id");
      }
      Matcher key = KEY.matcher(json);
      return new String[] {id.group(1), key.find() ? key.group(1) : null};
    }

    private Boolean open(String id, String cred, byte[] expected, boolean second)
        throws IOException, InterruptedException {
      MiniHttp.Response r = http.post("/api/secrets/" + id + "/open", "application/x-www-form-urlencoded",
          List.of(cred.getBytes(StandardCharsets.UTF_8)), o.xff() ? "X-Forwarded-For: " + xff + "\r\n" : "");
      PhaseStats ph = phases.get(phaseAt(System.nanoTime()));
      if (second) {
        if (r.status() == 200) {
          ph.violations.incrementAndGet(); // a second successful open
        }
        return Boolean.TRUE;
      }
      if (r.status() != 200) {
        throw new IOException("open " + r.status());
      }
      if (!Arrays.equals(expected, r.body())) {
        ph.violations.incrementAndGet(); // wrong bytes
        throw new IOException("open: wrong bytes");
      }
      return Boolean.TRUE;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Runs the phases; returns the Markdown report. */
  String run() throws Exception {
    long cpu0 = processCpuNanos();
    t0 = System.nanoTime();
    long acc = t0;
    for (int i = 0; i < phases.size(); i++) {
      phaseStartNanos[i] = acc;
      acc += phases.get(i).seconds * 1_000_000_000L;
    }
    phaseStartNanos[phases.size()] = acc;
    List<User> active = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int started = 0;
    for (int i = 0; i < phases.size(); i++) {
      long wait = phaseStartNanos[i] - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
      int want = phases.get(i).users;
      while (active.size() < want) {
        User u = new User(started++);
        active.add(u);
        Thread t = new Thread(u, "load-user-" + u.n);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      while (active.size() > want) {
        active.remove(active.size() - 1).stop.set(true);
      }
    }
    long endWait = phaseStartNanos[phases.size()] - System.nanoTime();
    if (endWait > 0) {
      Thread.sleep(endWait / 1_000_000);
    }
    for (User u : active) {
      u.stop.set(true);
    }
    for (Thread t : threads) {
      t.join(70_000);
    }
    long wall = System.nanoTime() - t0;
    long cpu = processCpuNanos() - cpu0;
    String md = markdown(wall, cpu);
    Files.createDirectories(o.out());
    Files.writeString(o.out().resolve(o.label() + ".md"), md);
    Files.writeString(o.out().resolve(o.label() + ".json"), json(wall, cpu));
    return md;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  private static double ms(Histogram h, double pct) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(pct) / 1000.0;
  }

  String markdown(long wallNanos, long cpuNanos) {
    StringBuilder b = new StringBuilder();
    b.append("### ").append(o.label()).append(": mode ").append(o.mode()).append(", ")
        .append(o.pacing() == 0 ? "closed loop" : "paced " + o.pacing() + " s/request/user")
        .append(", payload ").append(o.payload()).append(" B, target ").append(o.target())
        .append(o.xff() ? ", per-user X-Forwarded-For" : "").append("\n\n");
    b.append("| phase | duration | users | requests | RPS | done/s | P50 ms | P95 ms | P99 ms | max ms | errors | "
        + "one-time violations |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    Histogram all = new Histogram(1, 600_000_000L, 3);
    long req = 0;
    long err = 0;
    long vio = 0;
    int secs = 0;
    for (PhaseStats p : phases) {
      all.add(p.latency);
      req += p.requests.get();
      err += p.errors.get();
      vio += p.violations.get();
      secs += p.seconds;
      b.append(String.format(Locale.ROOT, "| %s | %ds | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d |%n",
          p.name, p.seconds, p.users, p.requests.get(), p.requests.get() / (double) p.seconds,
          p.completedInWindow.get() / (double) p.seconds, ms(p.latency, 50), ms(p.latency, 95), ms(p.latency, 99),
          p.latency.getTotalCount() == 0 ? Double.NaN : p.latency.getMaxValue() / 1000.0, p.errors.get(),
          p.violations.get()));
    }
    b.append(String.format(Locale.ROOT, "| **all** | %ds | - | %d | %.1f | - | %.1f | %.1f | %.1f | %.1f | %d | %d |%n",
        secs, req, req / (double) secs, ms(all, 50), ms(all, 95), ms(all, 99), all.getMaxValue() / 1000.0, err,
        vio));
    b.append(String.format(Locale.ROOT, "%nLoad tool CPU: %.1f s over %.1f s wall = %.0f%% of one core.%n",
        cpuNanos / 1e9, wallNanos / 1e9, 100.0 * cpuNanos / wallNanos));
    for (PhaseStats p : phases) {
      p.errorSamples.forEach((k, v) -> b.append("\nerror sample (").append(p.name).append("): ").append(v)
          .append(" x ").append(k));
    }
    return b.append('\n').toString();
  }

  String json(long wallNanos, long cpuNanos) {
    StringBuilder b = new StringBuilder("{\"label\":\"" + o.label() + "\",\"mode\":\"" + o.mode() + "\",\"pacing\":"
        + o.pacing() + ",\"payload\":" + o.payload() + ",\"when\":\"" + Instant.now() + "\",\"toolCpuSeconds\":"
        + cpuNanos / 1e9 + ",\"wallSeconds\":" + wallNanos / 1e9 + ",\"phases\":[");
    for (int i = 0; i < phases.size(); i++) {
      PhaseStats p = phases.get(i);
      b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"name\":\"%s\",\"users\":%d,\"seconds\":%d,\"requests\":%d,\"rps\":%.2f,\"p50ms\":%.3f,\"p95ms\":%.3f,"
              + "\"p99ms\":%.3f,\"maxms\":%.3f,\"errors\":%d,\"violations\":%d}",
          p.name, p.users, p.seconds, p.requests.get(), p.requests.get() / (double) p.seconds, ms(p.latency, 50),
          ms(p.latency, 95), ms(p.latency, 99), p.latency.getMaxValue() / 1000.0, p.errors.get(),
          p.violations.get()));
    }
    return b.append("]}\n").toString();
  }

  /** Totals over all phases: errors and violations (for callers that gate on them). */
  long[] totals() {
    long e = 0;
    long v = 0;
    for (PhaseStats p : phases) {
      e += p.errors.get();
      v += p.violations.get();
    }
    return new long[] {e, v};
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (o.prewarmSeconds() > 0) {
      // closed loop whatever the measured pacing: a JIT compiles after so many calls, not after so much time, and a
      // paced prewarm of a few hundred requests would leave a JVM server measured half-interpreted
      Options warm = new Options(o.target(), o.mode(), 0, List.of(new int[] {30, o.prewarmSeconds()}),
          o.payload(), o.xff(), o.out(), o.label() + "-prewarm", 0);
      new LoadCertifier(warm).run();
    }
    LoadCertifier c = new LoadCertifier(o);
    System.out.print(c.run());
    long[] t = c.totals();
    System.exit(t[0] == 0 && t[1] == 0 ? 0 : 1);
  }
}
