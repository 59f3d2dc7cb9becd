package io.onetimeshare.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code ots} jar, run as a real process against the servlet in a real Jetty (mapped under a prefix, on
 * a file vault): every command, standard input, exit codes, the no-echo prompt in a pseudo-terminal, and a 1 GiB
 * stream each way in a 64 MiB heap.
 */
class OtsCliIT {
  static final Path JAR = Path.of("target/onetimeshare-cli.jar");
  static Server server;
  static OneTimeShare ots;
  static String base;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    ots = OneTimeShare.builder().vault(FileSecretVault.builder(tmp.resolve("vault")).fsync(false).build())
        .maxContentBytes(1100L << 20).argon2(Argon2idParameters.owaspMinimum())
        // lets a weakly sealed secret in, as a hostile server would (a real one refuses it at finish)
        .argon2Floor(new Argon2idParameters(8, 1, 1)).build();
    server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder(new OneTimeShareServlet(ots, ServletSettings.builder().build())), "/share/*");
    server.setHandler(ctx);
    server.start();
    base = "http://127.0.0.1:" + c.getLocalPort() + "/share/";
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    ots.close();
  }

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  /** Runs the jar; {@code stdin} is fed from a thread (or closed at once when null). */
  static Run ots(byte[] stdin, String... args) throws Exception {
    return ots(List.of(), stdin == null ? null : out -> out.write(stdin), args);
  }

  interface Feed {
    void to(OutputStream out) throws IOException;
  }

  static Run ots(List<String> jvm, Feed feed, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OTS_PASSPHRASE");
    pb.environment().put("OTS_SERVER", base);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    Thread writer = new Thread(() -> {
      try (OutputStream in = p.getOutputStream()) {
        if (feed != null) {
          feed.to(in);
        }
      } catch (IOException ignored) {
        // the process stopped reading
      }
    });
    writer.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ots did not finish");
    writer.join();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void textFromStdinRoundTripWithReceipts() throws Exception {
    Run share = ots("the launch code is 0000\n".getBytes(StandardCharsets.UTF_8), "share", "--ttl", "10m");
    assertEquals(0, share.code(), share.err());
    assertEquals(2, share.lines().size(), "the link and the receipt link, nothing else: " + share.out());
    String link = share.lines().get(0);
    String receipt = share.lines().get(1);
    assertTrue(link.matches("\\Q" + base + "\\Es/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}"), link);
    assertTrue(receipt.matches("\\Q" + base + "\\Er/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}"), receipt);
    Run waiting = ots(null, "status", receipt);
    assertEquals(0, waiting.code(), waiting.err());
    assertTrue(waiting.out().startsWith("waiting\t-\t"), waiting.out());
    Run open = ots((link + "\n").getBytes(StandardCharsets.UTF_8), "open", "-"); // the link from stdin
    assertEquals(0, open.code(), open.err());
    assertEquals("the launch code is 0000\n", open.out());
    Run again = ots(null, "open", link);
    assertEquals(Ots.NOT_FOUND, again.code());
    assertTrue(again.err().startsWith("ots: "), again.err());
    Run opened = ots(null, "status", receipt);
    assertTrue(opened.out().matches("opened\t\\d{4}-.*Z\t\\d{4}-.*Z\n"), opened.out());
  }

  @Test
  void passphraseFileWrongThenRightAndNothingSecretInMessages() throws Exception {
    byte[] content = new byte[3_000_001];
    new Random(7).nextBytes(content);
    Path file = tmp.resolve("report.bin");
    Files.write(file, content);
    Path pass = tmp.resolve("pass.txt");
    Files.writeString(pass, "correct horse battery\n");
    Path wrong = tmp.resolve("wrong.txt");
    Files.writeString(wrong, "incorrect donkey\n");
    Run share = ots(null, "share", file.toString(), "--passphrase-file", pass.toString());
    assertEquals(0, share.code(), share.err());
    String link = share.lines().get(0);
    assertFalse(link.contains("#"), "a passphrase secret's link carries no key");
    Path out = tmp.resolve("got");
    Files.createDirectories(out);
    Run bad = ots(null, "open", link, "-o", out.toString(), "--passphrase-file", wrong.toString());
    assertEquals(Ots.DENIED, bad.code());
    assertTrue(bad.err().contains("4 attempt(s) left"), bad.err());
    assertFalse(bad.err().contains("donkey") || bad.out().contains("donkey"), "the passphrase is never printed");
    Run good = ots(null, "open", link, "-o", out.toString(), "--passphrase-file", pass.toString());
    assertEquals(0, good.code(), good.err());
    assertArrayEquals(content, Files.readAllBytes(out.resolve("report.bin")));
    assertFalse(good.err().contains("correct horse"));
    try (var s = Files.list(out)) {
      assertEquals(1, s.count(), "no partial file left beside it");
    }
  }

  @Test
  void deleteWithTheReceiptAndExitCodes() throws Exception {
    Run share = ots("to be deleted".getBytes(StandardCharsets.UTF_8), "share");
    String link = share.lines().get(0);
    String receipt = share.lines().get(1);
    Run del = ots(null, "delete", receipt);
    assertEquals(0, del.code(), del.err());
    assertEquals("deleted\n", del.out());
    assertTrue(ots(null, "status", receipt).out().startsWith("deleted\t"));
    assertEquals(Ots.NOT_FOUND, ots(null, "open", link).code());
    String forged = receipt.substring(0, receipt.indexOf('#') + 1) + "A".repeat(43);
    assertEquals(Ots.DENIED, ots(null, "status", forged).code());
    assertEquals(Ots.USAGE, ots(null, "open", "https://example.com/not-a-link").code());
    assertEquals(Ots.USAGE, ots(new byte[0], "share").code(), "empty input");
    assertEquals(Ots.USAGE, ots(null, "share", tmp.resolve("missing").toString()).code());
    assertEquals(Ots.USAGE, ots(null, "share", "--ttl", "soon").code());
    assertEquals(Ots.UNAVAILABLE, ots("x".getBytes(StandardCharsets.UTF_8), "share", "--server",
        "http://127.0.0.1:1/").code());
    Run ttl = ots("x".getBytes(StandardCharsets.UTF_8), "share", "--ttl", "30d");
    assertEquals(Ots.REFUSED, ttl.code());
    assertTrue(ttl.err().contains("time to live"), ttl.err());
    for (String cmd : List.of("share", "open", "status", "delete")) {
      Run help = ots(null, cmd, "--help");
      assertEquals(0, help.code());
      assertTrue(help.out().startsWith("Usage: ots " + cmd), help.out());
    }
    Run top = ots(null, "--help");
    assertTrue(top.out().contains("Exit codes:"), top.out());
  }

  @Test
  void passphrasePromptDoesNotEcho() throws Exception {
    Path in = tmp.resolve("prompted.txt");
    Files.writeString(in, "prompted secret");
    String cmd = ProcessHandle.current().info().command().orElse("java") + " -jar " + JAR.toAbsolutePath()
        + " share " + in + " --passphrase --server " + base;
    // script(1) gives the client a pseudo-terminal: the prompt is on it, and whatever it echoes is in the transcript
    Run r = ots(List.of(), null, "--version"); // warm the JVM's file cache; also: --version works
    assertEquals(0, r.code());
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null");
    Path out = Files.createTempFile(tmp, "tty", ".txt");
    pb.redirectOutput(out.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    try (OutputStream keys = p.getOutputStream()) {
      awaitText(out, "Passphrase: ");
      keys.write("typed pass phrase\r".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      awaitText(out, "Passphrase again: ");
      keys.write("typed pass phrase\r".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    String transcript = Files.readString(out);
    assertEquals(0, p.exitValue(), transcript);
    assertFalse(transcript.contains("typed pass phrase"), "echoed: " + transcript);
    String link = transcript.lines().filter(l -> l.contains("/s/")).findFirst().orElseThrow().strip();
    Path pass = tmp.resolve("typed.txt");
    Files.writeString(pass, "typed pass phrase\n");
    Run open = ots(null, "open", link, "--passphrase-file", pass.toString());
    assertEquals("prompted secret", open.out());
  }

  /** A secret sealed by a hostile sender's own client, bypassing every sanitiser of the servlet: its link. */
  private static String sealedBySender(byte[] content, io.onetimeshare.SecretKind kind, String filename,
      char[] passphrase, Argon2idParameters kdf) throws Exception {
    io.onetimeshare.UploadTicket t = ots.beginUpload(java.time.Duration.ofHours(1), 64 * 1024);
    io.onetimeshare.ClientEnvelope.Sealing s = io.onetimeshare.ClientEnvelope.seal(t.id(), 64 * 1024, passphrase,
        kdf, kind, filename, null);
    java.io.ByteArrayOutputStream segs = new java.io.ByteArrayOutputStream();
    try (OutputStream o = s.open(segs)) {
      o.write(content);
    }
    ots.appendSegments(t.id(), t.deleteToken(), 0, new java.io.ByteArrayInputStream(segs.toByteArray()));
    ots.finishUpload(t.id(), t.deleteToken(), s.header());
    return base + "s/" + t.id() + (s.key() == null ? "" : "#" + s.key());
  }

  /** Issue 19, findings 6 and 9: a sender's name never lands as a dot file, never replaces a file, --force or not. */
  @Test
  void aSendersFileNameIsSanitisedAndNeverReplacesAFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("downloads"));
    Path bashrc = dir.resolve(".bashrc");
    Files.writeString(bashrc, "mine");
    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "untouched");
    Files.createSymbolicLink(dir.resolve("bashrc"), victim); // planted where the sanitised name would go
    String link = sealedBySender("export EVIL=1\n".getBytes(StandardCharsets.UTF_8), io.onetimeshare.SecretKind.FILE,
        ".bashrc", null, Argon2idParameters.owaspMinimum());
    Run r = ots((link + "\n").getBytes(StandardCharsets.UTF_8), "open", "-", "-o", dir.toString(), "--force");
    assertEquals(0, r.code(), r.err());
    assertEquals("mine", Files.readString(bashrc), "--force never applies to a name the sender chose");
    assertEquals("untouched", Files.readString(victim), "a planted link is never followed");
    Path saved = dir.resolve("bashrc (1)");
    assertEquals("export EVIL=1\n", Files.readString(saved));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(saved)), "output is the owner's only");
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "no part file left: " + dir);
    }
    String dev = sealedBySender("x".getBytes(StandardCharsets.UTF_8), io.onetimeshare.SecretKind.FILE,
        "nul.txt\u202e", null, Argon2idParameters.owaspMinimum());
    assertEquals(0, ots((dev + "\n").getBytes(StandardCharsets.UTF_8), "open", "-", "-o", dir.toString()).code());
    assertTrue(Files.exists(dir.resolve("_nul.txt")), "a Windows device name is defused, the bidi mark dropped");
  }

  /** Issue 19, finding 7: on a terminal, escape sequences in a text secret are shown, not obeyed; piped, exact. */
  @Test
  void escapeSequencesAreShownEscapedOnATerminalAndExactInAPipe() throws Exception {
    String hostile = "visible\u001b[8mhidden\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;title\u0007\u009b end\n";
    byte[] bytes = hostile.getBytes(StandardCharsets.UTF_8);
    String link = sealedBySender(bytes, io.onetimeshare.SecretKind.TEXT, null, null, Argon2idParameters.owaspMinimum());
    Path linkFile = tmp.resolve("esc-link.txt");
    Files.writeString(linkFile, link + "\n");
    String cmd = ProcessHandle.current().info().command().orElse("java") + " -jar " + JAR.toAbsolutePath()
        + " open - < " + linkFile;
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null");
    Path out = Files.createTempFile(tmp, "tty", ".txt");
    pb.redirectOutput(out.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String transcript = Files.readString(out, StandardCharsets.ISO_8859_1);
    assertEquals(0, p.exitValue(), transcript);
    assertFalse(transcript.contains("\u001b"), "a raw ESC reached the terminal: " + transcript);
    assertFalse(transcript.contains("\u0007"), "a raw BEL reached the terminal");
    assertTrue(transcript.contains("visible\\x1b[8mhidden\\x1b]52;c;"), transcript);
    assertTrue(transcript.contains("shown escaped"), transcript);
    String piped = sealedBySender(bytes, io.onetimeshare.SecretKind.TEXT, null, null,
        Argon2idParameters.owaspMinimum());
    Run exact = ots((piped + "\n").getBytes(StandardCharsets.UTF_8), "open", "-");
    assertEquals(hostile, exact.out(), "piped output stays exact");
  }

  /** Issue 19, finding 8: weak Argon2id in a proof context is refused before any work, and nothing is sent. */
  @Test
  void aProofContextBelowTheClientsFloorIsRefusedAndNothingIsSent() throws Exception {
    String link = sealedBySender("hunter2's secret".getBytes(StandardCharsets.UTF_8), io.onetimeshare.SecretKind.TEXT,
        null, "hunter2".toCharArray(), new Argon2idParameters(8, 1, 1));
    Path pass = tmp.resolve("hunter2.txt");
    Files.writeString(pass, "hunter2\n");
    Run r = ots((link + "\n").getBytes(StandardCharsets.UTF_8), "open", "-", "--passphrase-file", pass.toString());
    assertEquals(Ots.DAMAGED, r.code(), r.err());
    assertTrue(r.err().contains("floor") && r.err().contains("Nothing was sent"), r.err());
    String id = link.substring(link.lastIndexOf('/') + 1);
    assertEquals(5, ots.peek(id).orElseThrow().attemptsLeft(), "no proof was sent: no attempt was taken");
  }

  /** Issue 19, finding 10: a credential given as an argument works, with a warning about ps and history. */
  @Test
  void aLinkGivenAsAnArgumentIsWarnedAbout() throws Exception {
    Run share = ots("warned".getBytes(StandardCharsets.UTF_8), "share");
    Run open = ots(null, "open", share.lines().get(0));
    assertEquals("warned", open.out());
    assertTrue(open.err().contains("warning") && open.err().contains("history"), open.err());
    Run quiet = ots((share.lines().get(1) + "\n").getBytes(StandardCharsets.UTF_8), "status", "-");
    assertFalse(quiet.err().contains("warning"), quiet.err());
  }

  private static void awaitText(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(file).contains(text)) {
      assertTrue(System.nanoTime() < deadline, "no prompt '" + text + "' in: " + Files.readString(file));
      Thread.sleep(50);
    }
  }

  /** 1 GiB from a pipe, sealed and uploaded by a client in a 64 MiB heap, then opened to a file in the same heap. */
  @Test
  void oneGibStreamsBothWaysInASmallHeap() throws Exception {
    long size = 1L << 30;
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    Run share = ots(List.of("-Xmx64m"), stdin -> {
      Random r = new Random(11);
      byte[] buf = new byte[1 << 20];
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        sent.update(buf);
        stdin.write(buf);
      }
    }, "share", "-", "--name", "big.bin", "--no-progress");
    assertEquals(0, share.code(), share.err());
    Path got = tmp.resolve("big.out");
    Run open = ots(List.of("-Xmx64m"), null, "open", share.lines().get(0), "-o", got.toString());
    assertEquals(0, open.code(), open.err());
    assertEquals(size, Files.size(got));
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(got)) {
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        received.update(buf, 0, n);
      }
    }
    assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(received.digest()));
    Files.delete(got);
  }
}
