package io.onetimeshare.bench.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 37, part 8: a file through the web page, as a person sends and opens it, timed by a command of its own
 * (not a test's side output). A real headless Chromium (Debian's, driven by Selenium) shares {@code SIZE} MiB through
 * the page of a running server, then a fresh browser opens the link and saves the file; each phase is timed from the
 * click to the page's result (the whole download saved), the saved file is checked byte for byte, and the CPU seconds
 * of the server process and of the browser's processes are read from {@code /proc} for each phase, so a figure
 * comes with where its time went. One browser at a time, nothing sampled while it runs, unless asked: {@code
 * --idle-browser} keeps a second browser open and {@code --sampler} walks {@code /proc} every 200 ms (what the
 * browser test does to measure memory), to show what they cost.
 *
 * <pre>java -cp benchmarks.jar io.onetimeshare.bench.page.PageFiles URL SIZE_MIB ROUNDS SERVER_PID WORK_DIR [--idle-browser] [--sampler]</pre>
 *
 * Prints one JSON line: medians of the rounds (seconds, MB/s at 10^6 bytes) and CPU seconds per phase.
 */
public final class PageFiles {
  /** The server process whose CPU each phase reports. */
  private static long serverPid = -1;

  private PageFiles() {
  }

  public static void main(String[] args) throws Exception {
    String base = args[0].endsWith("/") ? args[0] : args[0] + "/";
    long size = Long.parseLong(args[1]) << 20;
    int rounds = Integer.parseInt(args[2]);
    serverPid = Long.parseLong(args[3]);
    Path work = Files.createDirectories(Path.of(args[4]));
    List<String> flags = List.of(args).subList(5, args.length);
    boolean idleBrowser = flags.contains("--idle-browser");
    boolean sampler = flags.contains("--sampler");

    Path file = work.resolve("page-file.bin");
    byte[] expected = writeRandom(file, size);
    List<double[]> rows = new ArrayList<>(); // up s, down s, server cpu up, browser cpu up, server cpu down, browser cpu down
    WebDriver idle = idleBrowser ? browser(work, "idle") : null;
    AtomicBoolean sampling = new AtomicBoolean(sampler);
    Thread walker = new Thread(() -> {
      while (sampling.get()) {
        cpuOf("no-such-profile"); // reads every process's cmdline and stat, as a memory sampler does
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    walker.setDaemon(true);
    try {
      if (idle != null) {
        idle.get(base);
      }
      walker.start();
      for (int r = 0; r < rounds; r++) {
        double[] row = new double[6];
        String link = share(work, base, file, row);
        Path saved = open(work, link, file.getFileName().toString(), row);
        if (Files.size(saved) != size || !MessageDigest.isEqual(expected, sha256(saved))) {
          throw new IllegalStateException("round " + r + ": the saved file is not the shared file");
        }
        Files.delete(saved);
        rows.add(row);
        System.err.printf(Locale.ROOT, "round %d: up %.2f s, down %.2f s%n", r + 1, row[0], row[1]);
      }
    } finally {
      sampling.set(false);
      if (idle != null) {
        idle.quit();
      }
      Files.deleteIfExists(file);
    }
    double mb = size / 1e6;
    double up = median(rows, 0);
    double down = median(rows, 1);
    System.out.printf(Locale.ROOT, "{\"mib\":%d,\"rounds\":%d,\"idle_browser\":%b,\"sampler\":%b,\"up_s\":%.2f,"
            + "\"down_s\":%.2f,\"up_mb_s\":%.0f,\"down_mb_s\":%.0f,\"up_cpu_s\":{\"server\":%.2f,\"browser\":%.2f},"
            + "\"down_cpu_s\":{\"server\":%.2f,\"browser\":%.2f},\"cores\":%d}%n",
        size >> 20, rounds, idleBrowser, sampler, up, down, mb / up, mb / down, median(rows, 2), median(rows, 3),
        median(rows, 4), median(rows, 5), Runtime.getRuntime().availableProcessors());
    System.exit(0); // Selenium's HTTP client leaves non-daemon threads behind
  }

  /** Shares {@code file} through the page; fills row[0] (seconds), row[2] and row[3] (CPU seconds). */
  private static String share(Path work, String base, Path file, double[] row) throws Exception {
    WebDriver d = browser(work, "sender");
    try {
      d.get(base);
      d.findElement(By.id("kind-file")).click();
      d.findElement(By.id("secret-file")).sendKeys(file.toString());
      double server0 = cpuSeconds(serverPid);
      double browser0 = cpuOf(profile(work, "sender"));
      long t0 = System.nanoTime();
      d.findElement(By.id("create")).click();
      new WebDriverWait(d, Duration.ofMinutes(15), Duration.ofMillis(50)).until(ExpectedConditions.or(
          ExpectedConditions.visibilityOfElementLocated(By.id("result")),
          ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
      row[0] = (System.nanoTime() - t0) / 1e9;
      row[2] = cpuSeconds(serverPid) - server0;
      row[3] = cpuOf(profile(work, "sender")) - browser0;
      if (d.findElement(By.id("error")).isDisplayed()) {
        throw new IllegalStateException("the page refused the file: " + d.findElement(By.id("error")).getText());
      }
      return d.findElement(By.id("link")).getAttribute("value");
    } finally {
      d.quit();
    }
  }

  /** Opens {@code link} in a fresh browser and waits for the saved file; fills row[1], row[4], row[5]. */
  private static Path open(Path work, String link, String name, double[] row) throws Exception {
    WebDriver d = browser(work, "receiver");
    Path dir = downloads(work, "receiver");
    try {
      d.get(link);
      new WebDriverWait(d, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
      double server0 = cpuSeconds(serverPid);
      double browser0 = cpuOf(profile(work, "receiver"));
      long t0 = System.nanoTime();
      d.findElement(By.id("reveal")).click();
      Path saved = dir.resolve(name);
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (true) {
        if (d.findElement(By.id("error")).isDisplayed()) {
          throw new IllegalStateException("the page failed: " + d.findElement(By.id("error")).getText());
        }
        boolean partial;
        try (var s = Files.list(dir)) {
          partial = s.anyMatch(p -> p.toString().endsWith(".crdownload"));
        }
        if (Files.exists(saved) && !partial) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no complete download within 15 minutes");
        }
        Thread.sleep(50);
      }
      row[1] = (System.nanoTime() - t0) / 1e9;
      row[4] = cpuSeconds(serverPid) - server0;
      row[5] = cpuOf(profile(work, "receiver")) - browser0;
      return saved;
    } finally {
      d.quit();
    }
  }

  private static Path profile(Path work, String name) {
    return work.resolve("profiles").resolve(name);
  }

  private static Path downloads(Path work, String name) {
    return work.resolve("profiles").resolve(name + "-downloads");
  }

  private static WebDriver browser(Path work, String name) throws IOException {
    Path profile = profile(work, name);
    deleteTree(profile);
    Path dl = downloads(work, name);
    deleteTree(dl);
    Files.createDirectories(dl);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(System.getProperty("ots.chromium", "/usr/bin/chromium"));
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(profile));
    o.setExperimentalOption("prefs", Map.of("download.default_directory", dl.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(
        new java.io.File(System.getProperty("ots.chromedriver", "/usr/bin/chromedriver"))).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(svc, o);
    d.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dl.toString()));
    return d;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** User and system CPU seconds of one process (0 when it is gone). */
  static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds of every live process whose command line names {@code profile} (one browser's processes). */
  static double cpuOf(Object profile) {
    String p = profile.toString();
    double total = 0;
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      try {
        String cmd = Files.readString(Path.of("/proc/" + h.pid() + "/cmdline")).replace('\0', ' ');
        if (cmd.contains(p)) {
          total += cpuSeconds(h.pid());
        }
      } catch (IOException | RuntimeException gone) {
        // ended meanwhile
      }
    }
    return total;
  }

  private static byte[] writeRandom(Path f, long size) throws Exception {
    SplittableRandom r = new SplittableRandom(size);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(f)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        int n = (int) Math.min(buf.length, size - done);
        md.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static byte[] sha256(Path f) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(f)) {
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static double median(List<double[]> rows, int col) {
    double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
