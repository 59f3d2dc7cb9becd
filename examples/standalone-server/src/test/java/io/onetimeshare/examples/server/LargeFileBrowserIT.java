package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13 in a real headless Chromium: a 1 GiB file shared and opened through the page with the browser's memory
 * measured; an upload whose connections are cut halfway resumes instead of starting over; the page opens what the
 * command-line client made and the other way round; the receipt page; the page's envelope code against the
 * published test vectors.
 */
class LargeFileBrowserIT {
  static StandaloneServer server;
  static String base;
  static Path cli = Path.of("../cli/target/onetimeshare-cli.jar");

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createDirectories(WebPageBrowserIT.profiles().resolve("vault"));
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--storage", "file", "--data-dir", data.toString(), "--max-size", "1100MiB", "--rate-create", "off",
        "--rate-open", "off", "--rate-create-bytes", "off"}, Map.of()));
    base = "http://127.0.0.1:" + server.port() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static WebDriverWait waitLong(WebDriver d, Duration max) {
    return new WebDriverWait(d, max, Duration.ofMillis(250));
  }

  static Path randomFile(String name, long size) throws Exception {
    Path f = WebPageBrowserIT.profiles().resolve(name);
    Random r = new Random(size);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(f)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
    return f;
  }

  static String sha256(Path f) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(f)) {
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Shares {@code file} through the page at {@code site}; returns the link and the receipt link. */
  static String[] shareFile(WebDriver d, String site, Path file, Duration max) {
    d.get(site);
    WebPageBrowserIT.watchCsp(d);
    d.findElement(By.id("kind-file")).click();
    d.findElement(By.id("secret-file")).sendKeys(file.toString());
    d.findElement(By.id("create")).click();
    waitLong(d, max).until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.id("result")),
        ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
    assertFalse(d.findElement(By.id("error")).isDisplayed(), () -> d.findElement(By.id("error")).getText());
    WebPageBrowserIT.assertNoCspViolations(d);
    return new String[] {d.findElement(By.id("link")).getAttribute("value"),
        d.findElement(By.id("receipt-link")).getAttribute("value")};
  }

  /** Reveals a file link in the page and waits for the service worker's download to complete. */
  static Path revealFile(WebDriver d, String name, String link, String filename, Duration max) throws Exception {
    d.get(link);
    WebPageBrowserIT.watchCsp(d);
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
    d.findElement(By.id("reveal")).click();
    waitLong(d, max).until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.id("file-status")),
        ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
    assertFalse(d.findElement(By.id("error")).isDisplayed(), () -> d.findElement(By.id("error")).getText());
    Path saved = WebPageBrowserIT.awaitDownload(WebPageBrowserIT.downloads(name), filename, max);
    WebPageBrowserIT.assertNoCspViolations(d);
    return saved;
  }

  /** Resident memory of every process of one browser (found by its profile directory), sampled in the background. */
  static final class BrowserMemory implements AutoCloseable {
    private final String profile;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    BrowserMemory(String name) {
      this.profile = WebPageBrowserIT.profiles().resolve(name).toString();
      this.sampler = new Thread(() -> {
        while (running.get()) {
          peak.accumulateAndGet(now(), Math::max);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
    }

    long now() {
      long total = 0;
      for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
        try {
          String cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
          if (cmd.contains(profile)) {
            for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
              if (line.startsWith("VmRSS:")) {
                total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
              }
            }
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
      return total;
    }

    BrowserMemory start() {
      sampler.start();
      return this;
    }

    long peak() {
      return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      sampler.join();
    }
  }

  @Test
  void oneGibFileThroughThePageWithBoundedMemory() throws Exception {
    long size = 1L << 30;
    machineState(); // issue 37, part 8: a slow figure says what else was running
    Path file = randomFile("one-gib.bin", size);
    String expected = sha256(file);
    WebDriver sender = WebPageBrowserIT.browser("gib-sender");
    WebDriver receiver = WebPageBrowserIT.browser("gib-receiver");
    try {
      sender.get(base);
      receiver.get(base);
      BrowserMemory up = new BrowserMemory("gib-sender");
      BrowserMemory down = new BrowserMemory("gib-receiver");
      long upBase = up.now();
      long downBase = down.now();
      long t0 = System.nanoTime();
      String[] links;
      try (BrowserMemory m = up.start()) {
        links = shareFile(sender, base, file, Duration.ofMinutes(10));
      }
      long t1 = System.nanoTime();
      Path saved;
      try (BrowserMemory m = down.start()) {
        saved = revealFile(receiver, "gib-receiver", links[0], "one-gib.bin", Duration.ofMinutes(10));
      }
      long t2 = System.nanoTime();
      assertEquals(size, Files.size(saved));
      assertEquals(expected, sha256(saved), "the downloaded bytes are the shared bytes");
      long upGrowth = up.peak() - upBase;
      long downGrowth = down.peak() - downBase;
      System.out.printf("1 GiB through the page: upload %.1f s, download %.1f s; browser memory growth (all "
              + "processes' RSS, peak minus idle): sender %d MiB (idle %d MiB), receiver %d MiB (idle %d MiB)%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, upGrowth >> 20, upBase >> 20, downGrowth >> 20, downBase >> 20);
      assertTrue(upGrowth < 400L << 20, "sending 1 GiB grew the browser by " + (upGrowth >> 20) + " MiB");
      assertTrue(downGrowth < 400L << 20, "receiving 1 GiB grew the browser by " + (downGrowth >> 20) + " MiB");
      Files.delete(saved);
    } finally {
      sender.quit();
      receiver.quit();
      Files.deleteIfExists(file);
    }
  }

  /**
   * Prints the load average and every other process that used a noticeable share of a core over the last second (its
   * name and the start of its command line): the page's figure in a full test run was half the quiet run's, and the
   * figure alone cannot say whether an earlier test left a process (an identity provider, a server) running.
   */
  static void machineState() throws Exception {
    Map<Long, Long> before = new java.util.HashMap<>();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      before.put(p.pid(), ticks(p.pid()));
    }
    Thread.sleep(1000);
    StringBuilder busy = new StringBuilder();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      Long t0 = before.get(p.pid());
      long used = ticks(p.pid()) - (t0 == null ? 0 : t0);
      if (used >= 5 && p.pid() != ProcessHandle.current().pid()) { // 5% of a core or more
        String cmd = p.info().commandLine().orElse(p.info().command().orElse("?"));
        busy.append(String.format(" [%d%% %s]", used, cmd.substring(0, Math.min(cmd.length(), 100))));
      }
    }
    System.out.printf("machine before the 1 GiB run: load %s; busy:%s%n",
        Files.readString(Path.of("/proc/loadavg")).trim(), busy.length() == 0 ? " none" : busy);
  }

  /** User and system clock ticks of a process (0 when it is gone). */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  /** A loopback TCP proxy that cuts every connection once, after {@code cutAt} bytes have gone upstream. */
  static final class CuttingProxy implements AutoCloseable {
    final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicLong upstream = new AtomicLong();
    final AtomicBoolean cut = new AtomicBoolean();
    final List<Socket> open = new CopyOnWriteArrayList<>();
    final long cutAt;
    final int target;

    CuttingProxy(int target, long cutAt) throws IOException {
      this.target = target;
      this.cutAt = cutAt;
      Thread accept = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            Socket client = listener.accept();
            Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(client);
            open.add(server);
            pump(client, server, true);
            pump(server, client, false);
          } catch (IOException e) {
            return;
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void pump(Socket from, Socket to, boolean up) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (up && upstream.addAndGet(n) > cutAt && cut.compareAndSet(false, true)) {
              for (Socket s : open) { // the network fails: every connection drops at once
                s.close();
              }
            }
          }
        } catch (IOException ignored) {
          // closed
        } finally {
          try {
            from.close();
            to.close();
          } catch (IOException ignored) {
            // closed
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void anUploadCutHalfwayResumesWhereItStopped() throws Exception {
    long size = 96L << 20;
    Path file = randomFile("cut.bin", size);
    String expected = sha256(file);
    WebDriver sender = WebPageBrowserIT.browser("cut-sender");
    WebDriver receiver = WebPageBrowserIT.browser("cut-receiver");
    try (CuttingProxy proxy = new CuttingProxy(server.port(), size / 2)) {
      String site = "http://127.0.0.1:" + proxy.port() + "/";
      String[] links = shareFile(sender, site, file, Duration.ofMinutes(3));
      assertTrue(proxy.cut.get(), "the connections were cut during the upload");
      long sent = proxy.upstream.get();
      // resumed: about the file once, plus at most the request in flight when the network failed (8 MiB); starting
      // over would have sent half the file twice
      assertTrue(sent < size + (12L << 20), "sent " + (sent >> 20) + " MiB for a " + (size >> 20) + " MiB file");
      Path saved = revealFile(receiver, "cut-receiver", links[0], "cut.bin", Duration.ofMinutes(3));
      assertEquals(expected, sha256(saved));
      System.out.printf("cut at %d MiB: %d MiB sent for %d MiB%n", size / 2 >> 20, sent >> 20, size >> 20);
    } finally {
      sender.quit();
      receiver.quit();
      Files.deleteIfExists(file);
    }
  }

  static List<String> cliRun(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
        cli.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "ots " + String.join(" ", args));
    return out.lines().toList();
  }

  @Test
  void thePageOpensWhatTheCliMadeAndTheOtherWayRoundWithReceipts() throws Exception {
    assertTrue(Files.exists(cli), "the command-line client is packaged before this test: " + cli.toAbsolutePath());
    WebDriver sender = WebPageBrowserIT.browser("x-sender");
    WebDriver receiver = WebPageBrowserIT.browser("x-receiver");
    try {
      // CLI-made text, with a passphrase, opened in the page
      Path pass = WebPageBrowserIT.profiles().resolve("x-pass.txt");
      Files.writeString(pass, "shared by terminal\n");
      List<String> made = cliRun("made by the CLI ✓", "share", "--server", base, "--passphrase-file", pass.toString());
      receiver.get(made.get(0));
      WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
      WebPageBrowserIT.typeInto(receiver, "passphrase", "shared by terminal");
      receiver.findElement(By.id("reveal")).click();
      WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals("made by the CLI ✓", receiver.findElement(By.id("secret")).getAttribute("value"));
      assertEquals("opened", cliRun(null, "status", made.get(1)).get(0).split("\t")[0]);

      // CLI-made file opened in the page (streamed download)
      Path small = randomFile("from-cli.bin", 3_000_000);
      List<String> file = cliRun(null, "share", small.toString(), "--server", base);
      Path saved = revealFile(receiver, "x-receiver", file.get(0), "from-cli.bin", Duration.ofMinutes(1));
      assertEquals(sha256(small), sha256(saved));

      // page-made text opened with the CLI; the page's receipt shows waiting, then opened
      String link = WebPageBrowserIT.create(sender, base, "made in the page", null);
      String receipt = sender.findElement(By.id("receipt-link")).getAttribute("value");
      sender.get(receipt);
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"),
          "waiting"));
      assertTrue(sender.findElement(By.id("delete")).isDisplayed());
      assertEquals(List.of("made in the page"), cliRun(null, "open", link));
      sender.findElement(By.id("refresh")).click();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"),
          "opened"));
      assertFalse(sender.findElement(By.id("delete")).isDisplayed());
      WebPageBrowserIT.assertNoCspViolations(sender);
      assertEquals("opened", cliRun(null, "status", receipt).get(0).split("\t")[0], "the CLI reads page receipts");

      // page-made passphrase file opened with the CLI
      Path doc = randomFile("from-page.bin", 1_500_000);
      sender.get(base);
      sender.findElement(By.id("kind-file")).click();
      sender.findElement(By.id("secret-file")).sendKeys(doc.toString());
      WebPageBrowserIT.typeInto(sender, "passphrase", "typed in a browser");
      sender.findElement(By.id("create")).click();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
      String pageLink = sender.findElement(By.id("link")).getAttribute("value");
      Path pagePass = WebPageBrowserIT.profiles().resolve("page-pass.txt");
      Files.writeString(pagePass, "typed in a browser\n");
      Path out = WebPageBrowserIT.profiles().resolve("cli-got.bin");
      cliRun(null, "open", pageLink, "-o", out.toString(), "--passphrase-file", pagePass.toString());
      assertEquals(sha256(doc), sha256(out));

      // the receipt page deletes a waiting secret; the link then finds nothing
      String link2 = WebPageBrowserIT.create(sender, base, "to delete from the receipt", null);
      sender.get(sender.findElement(By.id("receipt-link")).getAttribute("value"));
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.elementToBeClickable(By.id("delete")));
      sender.findElement(By.id("delete")).click();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"),
          "deleted"));
      receiver.get(link2);
      WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("gone")));
    } finally {
      sender.quit();
      receiver.quit();
    }
  }

  /** The page's envelope code opens every published vector and refuses every negative one, in the browser. */
  @Test
  void thePagesEnvelopeCodeAgreesWithTheTestVectors() throws Exception {
    Path vectors = Path.of("../../onetimeshare-core/src/test/resources/vectors");
    String positive = Files.readString(vectors.resolve("envelope-v1.json"));
    String negative = Files.readString(vectors.resolve("envelope-v1-negative.json"));
    WebDriver d = WebPageBrowserIT.browser("vectors");
    try {
      d.get(base);
      Object result = ((JavascriptExecutor) d).executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          (async () => {
            const E = await import(new URL("assets/envelope.js", document.baseURI).href);
            const hex = h => Uint8Array.from(h.match(/../g) || [], x => parseInt(x, 16));
            const toHex = b => Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
            const run = async (id, bytes, key, pass) => {
              let off = 0;
              const reader = { read: async () => off >= bytes.length ? { done: true }
                : { done: false, value: bytes.slice(off, off += 7) } };
              const parts = [];
              let prefix = null;
              for await (const p of E.plaintext(id, reader, h => E.master(h, key, pass))) {
                if (prefix === null) prefix = p; else parts.push(...p);
              }
              return { prefix, content: toHex(parts) };
            };
            const out = [];
            for (const v of JSON.parse(arguments[0]).vectors) {
              try {
                const r = await run(v.id, hex(v.envelope_hex), v.key_hex ? hex(v.key_hex) : null, v.passphrase);
                out.push(v.name + ": " + (r.content === v.content_hex && (r.prefix.filename ?? null) === v.filename
                  ? "ok" : "MISMATCH"));
              } catch (e) { out.push(v.name + ": ERROR " + e.message); }
            }
            const neg = JSON.parse(arguments[1]);
            for (const v of neg.vectors) {
              try {
                await run(neg.id, hex(v.envelope_hex), hex(neg.key_hex), null);
                out.push(v.name + ": ACCEPTED");
              } catch (e) { out.push(v.name + ": refused"); }
            }
            done(out);
          })().catch(e => done(["FAILED " + e.message]));
          """, positive, negative);
      @SuppressWarnings("unchecked")
      List<String> lines = (List<String>) result;
      assertFalse(lines.isEmpty());
      for (String line : lines) {
        assertTrue(line.endsWith(": ok") || line.endsWith(": refused"), String.join("\n", lines));
      }
      System.out.println("vectors in Chromium:\n  " + String.join("\n  ", lines));
    } finally {
      d.quit();
    }
  }

  /**
   * Issue 23: the page's HPKE (hpke.js, WebCrypto only) reproduces RFC 9180 A.1.1, and the page's envelope code opens
   * the library's mode-3 vectors with the recipient's private key and refuses another key.
   */
  @Test
  void thePagesHpkeAgreesWithRfc9180AndOpensTheLibrarysPublicKeyVectors() throws Exception {
    String vectors = Files.readString(Path.of("../../onetimeshare-core/src/test/resources/vectors",
        "envelope-v1-public-key.json"));
    WebDriver d = WebPageBrowserIT.browser("hpke");
    try {
      d.get(base);
      Object result = ((JavascriptExecutor) d).executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          (async () => {
            const H = await import(new URL("assets/hpke.js", document.baseURI).href);
            const E = await import(new URL("assets/envelope.js", document.baseURI).href);
            const hex = h => Uint8Array.from(h.match(/../g) || [], x => parseInt(x, 16));
            const toHex = b => Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
            const out = [];
            // RFC 9180 A.1.1: X25519, HKDF-SHA256, AES-128-GCM, base mode, sequence 0
            const skE = hex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
            const skR = hex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
            const pkR = await H.publicOf(skR);
            out.push("pkR: " + (toHex(pkR) === "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"
              ? "ok" : "MISMATCH"));
            const info = hex("4f6465206f6e2061204772656369616e2055726e");
            const s = await H.seal(pkR, info, hex("436f756e742d30"),
              hex("4265617574792069732074727574682c20747275746820626561757479"), 1, skE);
            out.push("enc: " + (toHex(s.enc) === "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"
              ? "ok" : "MISMATCH"));
            out.push("shared secret: " + (toHex(s.schedule.shared)
              === "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc" ? "ok" : "MISMATCH"));
            out.push("ct: " + (toHex(s.ct) === "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
              + "6d8770ac83d07bea87e13c512a" ? "ok" : "MISMATCH"));
            const back = await H.open(skR, s.enc, info, hex("436f756e742d30"), s.ct, 1);
            out.push("open: " + (toHex(back) === "4265617574792069732074727574682c20747275746820626561757479"
              ? "ok" : "MISMATCH"));
            const kp = await H.newKeyPair();
            out.push("fresh pair: " + (toHex(await H.publicOf(kp.privateKey)) === toHex(kp.publicKey) ? "ok"
              : "MISMATCH"));
            for (const v of JSON.parse(arguments[0]).vectors) {
              const run = async key => {
                const bytes = hex(v.envelope_hex);
                let off = 0;
                const reader = { read: async () => off >= bytes.length ? { done: true }
                  : { done: false, value: bytes.slice(off, off += 11) } };
                const parts = [];
                let first = true;
                for await (const p of E.plaintext(v.id, reader, h => E.master(h, key, null, undefined, v.id))) {
                  if (first) first = false; else parts.push(...p);
                }
                return toHex(parts);
              };
              try {
                out.push(v.name + ": " + (await run(hex(v.recipient_private_key_hex)) === v.content_hex ? "ok"
                  : "MISMATCH"));
              } catch (e) { out.push(v.name + ": ERROR " + e.message); }
              try {
                await run(kp.privateKey);
                out.push(v.name + " with another key: ACCEPTED");
              } catch (e) { out.push(v.name + " with another key: refused"); }
            }
            done(out);
          })().catch(e => done(["FAILED " + e.message]));
          """, vectors);
      @SuppressWarnings("unchecked")
      List<String> lines = (List<String>) result;
      assertTrue(lines.size() >= 8, String.join("\n", lines));
      for (String line : lines) {
        assertTrue(line.endsWith(": ok") || line.endsWith(": refused"), String.join("\n", lines));
      }
      System.out.println("HPKE in Chromium:\n  " + String.join("\n  ", lines));
    } finally {
      d.quit();
    }
  }
}
