package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.RequestRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Secret requests end to end with the packaged {@code ots} (issue 23): ask, answer once (sealed to the asker's key in
 * the responder's process), open once with the inbox link; a server that swaps the key is caught by the responder.
 */
class SecretRequestsIT {
  static StandaloneServer server;
  static String base;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--warmup", "off", "--request-log", "off", "--rate-create", "off", "--rate-open", "off", "--max-size", "64MiB"}, Map.of()));
    base = "http://127.0.0.1:" + server.port() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Run(int code, List<String> out, String err) {}

  static Run ots(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("../cli/target/onetimeshare-cli.jar").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "ots", ".out");
    Path err = Files.createTempFile(tmp, "ots", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("OTS_TOKEN");
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    return new Run(p.exitValue(), Files.readAllLines(out), Files.readString(err));
  }

  @Test
  void askAnswerOnceOpenOnceWithOts() throws Exception {
    Run asked = ots("", "request", "--server", base, "--label", "the staging DB password");
    assertEquals(0, asked.code(), asked.err());
    assertEquals(2, asked.out().size(), asked.out().toString());
    assertTrue(asked.err().matches("(?s).*Receipt.*: " + java.util.regex.Pattern.quote(base)
        + "q/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}\\s*"), asked.err());
    String fill = asked.out().get(0);
    String inbox = asked.out().get(1);
    assertTrue(fill.matches(java.util.regex.Pattern.quote(base) + "a/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{22}\\..+"), fill);
    assertTrue(inbox.matches(java.util.regex.Pattern.quote(base) + "s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}"), inbox);
    String id = inbox.substring(inbox.indexOf("/s/") + 3, inbox.indexOf('#'));
    assertEquals(id, fill.substring(fill.indexOf("/a/") + 3, fill.indexOf('#')));
    String privateKey = inbox.substring(inbox.indexOf('#') + 1);
    assertTrue(server.vault().requests().orElseThrow().request(id).isPresent(), "the server holds the request");
    assertTrue(!java.util.Arrays.equals(java.util.Base64.getUrlDecoder().decode(privateKey),
        server.vault().requests().orElseThrow().request(id).orElseThrow().publicKey()), "and only the public key");

    Path file = tmp.resolve("answer.bin");
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new SecureRandom().nextBytes(content);
    Files.write(file, content);
    Run answered = ots("", "answer", fill, file.toString());
    assertEquals(0, answered.code(), answered.err());
    assertTrue(answered.err().contains("Asked for: the staging DB password"), answered.err());
    Run again = ots("", "answer", fill, file.toString());
    assertTrue(again.code() != 0 && again.err().contains("answered already"), again.err());

    Path dir = Files.createDirectories(tmp.resolve("inbox"));
    Run opened = ots("", "open", "-o", dir.toString(), inbox);
    assertEquals(0, opened.code(), opened.err());
    assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(dir.resolve("answer.bin"))), "the exact bytes");
    Run twice = ots("", "open", "-o", dir.toString(), inbox);
    assertEquals(3, twice.code(), "opened once: " + twice.err());
  }

  @Test
  void aServerThatSwapsTheKeyIsCaughtByTheResponder() throws Exception {
    Run asked = ots("", "request", "--server", base);
    assertEquals(0, asked.code(), asked.err());
    String fill = asked.out().get(0);
    String id = fill.substring(fill.indexOf("/a/") + 3, fill.indexOf('#'));
    // a hostile store: the same request, another public key (one the server's operator holds the private key of)
    RequestRecord real = server.vault().requests().orElseThrow().request(id).orElseThrow();
    byte[] swapped = io.onetimeshare.ClientEnvelope.RecipientKeys.generate().publicKey();
    server.vault().requests().orElseThrow().deleteRequest(id);
    server.vault().requests().orElseThrow().putRequest(new RequestRecord(id, real.expiresAt(), swapped, real.ownerTokenHash(), null,
        real.subscription(), real.answerTokenHash()));
    Run answered = ots("the secret\n", "answer", fill);
    assertEquals(7, answered.code(), answered.err());
    assertTrue(answered.err().contains("swapped"), answered.err());
    assertTrue(server.vault().requests().orElseThrow().request(id).orElseThrow().answeredAt() == null, "nothing was sent");
    assertTrue(server.vault().peek(id).isEmpty());
  }

  /**
   * Issue 36, finding 14: an inbox link with another private key is a wrong key (exit 4, as the exit codes say), found
   * before the server is asked anything, so the answer still waits for the right key.
   */
  @Test
  void anInboxLinkWithAnotherPrivateKeyIsAWrongKeyAndTheAnswerStillWaits() throws Exception {
    Run asked = ots("", "request", "--server", base);
    assertEquals(0, asked.code(), asked.err());
    assertEquals(0, ots("the real answer\n", "answer", asked.out().get(0)).code());
    String inbox = asked.out().get(1);
    String other = inbox.substring(0, inbox.indexOf('#') + 1) + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(io.onetimeshare.ClientEnvelope.RecipientKeys.generate().privateKey());
    Run wrong = ots("", "open", other);
    assertEquals(4, wrong.code(), wrong.err());
    assertTrue(wrong.err().contains("does not open"), wrong.err());
    Run right = ots("", "open", inbox);
    assertEquals(0, right.code(), right.err());
    assertTrue(String.join("\n", right.out()).contains("the real answer"), right.out().toString());
  }

  static String answerToken(HttpResponse<String> asked) {
    String t = asked.body().replaceAll(".*\"answerToken\":\"([^\"]+)\".*", "$1");
    assertTrue(t.matches("[A-Za-z0-9_-]{43}"), asked.body());
    return t;
  }

  /**
   * Issue 36, finding 1, as it was reproduced: whoever saw only a request's id (every link's path) builds an answer
   * sealed to the public key the server hands anyone, and takes the request's one answer. Now the fill link's answer
   * token, in its fragment, is what answers: the forgery is refused (403, nothing begun), the real responder's `ots
   * answer` with the whole link goes through, and the asker opens the real answer. Links from before answer tokens
   * are refused with a message that says to ask again, in `ots` and over the API.
   */
  @Test
  void theIdAloneAnswersNothingTheFillLinksTokenDoes() throws Exception {
    Run asked = ots("", "request", "--server", base, "--label", "deploy key");
    assertEquals(0, asked.code(), asked.err());
    String fill = asked.out().get(0);
    String id = fill.substring(fill.indexOf("/a/") + 3, fill.indexOf('#'));
    String[] fragment = fill.substring(fill.indexOf('#') + 1).split("\\.");
    assertEquals(3, fragment.length, fill);
    assertTrue(fragment[1].matches("[A-Za-z0-9_-]{43}"), "the answer token is in the fragment: " + fill);
    assertFalse(fill.substring(0, fill.indexOf('#')).contains(fragment[1]), "and never in the path");

    HttpClient http = HttpClient.newHttpClient();
    // the attacker's forgery, from the path alone: the public key is anyone's to read, the token is not
    String body = "{\"segmentSize\":65536}";
    for (String forged : new String[] {null, "", "A".repeat(43), fragment[0], fragment[1].substring(1) + "A"}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "api/requests/" + id + "/answer"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      if (forged != null) {
        b.header("OTS-Answer-Token", forged);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.statusCode() == 403 || forged != null && !forged.isEmpty() && forged.length() != 43
          && r.statusCode() == 400, forged + " -> " + r.statusCode() + " " + r.body());
      assertTrue(r.statusCode() == 400 || r.body().contains("\"wrong_answer_token\""), r.body());
    }
    assertTrue(requestInfo(http, id).contains("\"answered\":false"), "no forgery took the answer");
    assertTrue(server.vault().requests().orElseThrow().request(id).orElseThrow().answeredAt() == null);

    // an old fill link (fingerprint and label, no token) is refused before anything is sent
    Run old = ots("the secret\n", "answer", fill.substring(0, fill.indexOf('#') + 1) + fragment[0] + "."
        + fragment[2]);
    assertEquals(2, old.code(), old.err());
    assertTrue(old.err().contains("no answer token"), old.err());

    Run answered = ots("ssh-ed25519 AAAA real\n", "answer", fill);
    assertEquals(0, answered.code(), answered.err());
    assertTrue(answered.err().contains("Asked for: deploy key"), answered.err());
    Run opened = ots("", "open", asked.out().get(1));
    assertEquals(0, opened.code(), opened.err());
    assertTrue(String.join("\n", opened.out()).contains("ssh-ed25519 AAAA real"), opened.out().toString());

    // a request as 0.3 stored it (no answer token's hash) is refused with a message that says to ask again
    Run older = ots("", "request", "--server", base);
    String oid = older.out().get(0).substring(older.out().get(0).indexOf("/a/") + 3, older.out().get(0).indexOf('#'));
    RequestRecord r = server.vault().requests().orElseThrow().request(oid).orElseThrow();
    server.vault().requests().orElseThrow().deleteRequest(oid);
    server.vault().requests().orElseThrow().putRequest(new RequestRecord(oid, r.expiresAt(), r.publicKey(), r.ownerTokenHash(), null));
    Run refused = ots("x\n", "answer", older.out().get(0));
    assertTrue(refused.code() != 0 && refused.err().contains("new request"), refused.err());
  }

  /**
   * Issue 36, finding 10: a key no one could answer (small order) and a label sent to the server are refused with 400
   * and a message that says why; nothing is stored.
   */
  @Test
  void unanswerableKeysAndLabelsAreRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String zero = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    HttpResponse<String> lowOrder = http.send(HttpRequest.newBuilder(URI.create(base + "api/requests"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"publicKey\":\"" + zero + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, lowOrder.statusCode(), lowOrder.body());
    assertTrue(lowOrder.body().contains("cannot be answered"), lowOrder.body());
    String key = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        io.onetimeshare.ClientEnvelope.RecipientKeys.generate().publicKey());
    HttpResponse<String> labelled = http.send(HttpRequest.newBuilder(URI.create(base + "api/requests"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"publicKey\":\"" + key + "\",\"label\":\"staging DB\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, labelled.statusCode(), labelled.body());
    assertTrue(labelled.body().contains("stays in the links' fragments"), labelled.body());
  }

  @Test
  void ofTwoRacingAnswersOverHttpOneWins() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> asked = askOverHttp(http);
    assertEquals(201, asked.statusCode(), asked.body());
    String id = asked.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String owner = asked.body().replaceAll(".*\"ownerToken\":\"([^\"]+)\".*", "$1");
    HttpRequest answer = HttpRequest.newBuilder(URI.create(base + "api/requests/" + id + "/answer"))
        .header("Content-Type", "application/json").header("OTS-Answer-Token", answerToken(asked))
        .POST(HttpRequest.BodyPublishers.ofString("{\"segmentSize\":65536}")).build();
    var a = http.sendAsync(answer, HttpResponse.BodyHandlers.ofString());
    var b = http.sendAsync(answer, HttpResponse.BodyHandlers.ofString());
    List<Integer> codes = new ArrayList<>(List.of(a.get().statusCode(), b.get().statusCode()));
    java.util.Collections.sort(codes);
    assertEquals(List.of(201, 409), codes);
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(base + "api/requests/" + id
        + "/receipt")).header("OTS-Owner-Token", owner).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, state.statusCode(), state.body());
    assertTrue(state.body().contains("\"state\":\"answered\""), state.body());
    assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(base + "api/requests/" + id + "/receipt"))
        .header("OTS-Owner-Token", "x".repeat(43)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void theInboxLinkOpensInThePageOnce() throws Exception {
    Run asked = ots("", "request", "--server", base, "--label", "wifi password");
    assertEquals(0, asked.code(), asked.err());
    Run answered = ots("correct horse battery staple", "answer", asked.out().get(0));
    assertEquals(0, answered.code(), answered.err());
    org.openqa.selenium.WebDriver d = WebPageBrowserIT.browser("inbox");
    try {
      d.get(asked.out().get(1));
      WebPageBrowserIT.watchCsp(d);
      WebPageBrowserIT.waitOn(d).until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
          org.openqa.selenium.By.id("reveal")));
      d.findElement(org.openqa.selenium.By.id("reveal")).click();
      WebPageBrowserIT.waitOn(d).until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
          org.openqa.selenium.By.id("secret")));
      assertEquals("correct horse battery staple", d.findElement(org.openqa.selenium.By.id("secret"))
          .getAttribute("value"), "sealed by ots to the key, opened by the page with the private key in the link");
      WebPageBrowserIT.assertNoCspViolations(d);
    } finally {
      d.quit();
    }
    Run again = ots("", "open", asked.out().get(1));
    assertEquals(3, again.code(), "once: " + again.err());
  }

  // ---- the page's pages (ask, answer, request receipt) in Chromium ----

  /** Asks through the page; returns the fill link, the inbox link and the receipt link. */
  static String[] askInPage(org.openqa.selenium.WebDriver d, String label) {
    d.get(base + "ask");
    WebPageBrowserIT.watchCsp(d);
    if (label != null) {
      WebPageBrowserIT.typeInto(d, "label", label);
    }
    d.findElement(By.id("ask")).click();
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(
        By.id("result")), ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
    assertFalse(d.findElement(By.id("error")).isDisplayed(), () -> d.findElement(By.id("error")).getText());
    WebPageBrowserIT.assertNoCspViolations(d);
    return new String[] {d.findElement(By.id("fill-link")).getAttribute("value"),
        d.findElement(By.id("inbox-link")).getAttribute("value"),
        d.findElement(By.id("request-receipt")).getAttribute("value")};
  }

  /** Opens a fill link in the page and waits for the form (or for the status that says why there is none). */
  static boolean openFill(org.openqa.selenium.WebDriver d, String fill) {
    d.get("about:blank"); // the same address with another fragment would not load the page again
    d.get(fill);
    WebPageBrowserIT.watchCsp(d);
    WebPageBrowserIT.waitOn(d).until(x -> !x.findElement(By.id("status")).getText().startsWith("Checking"));
    return d.findElement(By.id("answer-form")).isDisplayed();
  }

  /** Answers with a file (or text, when {@code file} is null) and waits for the sent message. */
  static void answerInPage(org.openqa.selenium.WebDriver d, String fill, Path file, String text) {
    assertTrue(openFill(d, fill), () -> d.findElement(By.id("status")).getText());
    if (file != null) {
      d.findElement(By.id("kind-file")).click();
      d.findElement(By.id("secret-file")).sendKeys(file.toString());
    } else {
      WebPageBrowserIT.typeInto(d, "secret-text", text);
    }
    d.findElement(By.id("send")).click();
    LargeFileBrowserIT.waitLong(d, java.time.Duration.ofMinutes(3)).until(ExpectedConditions.or(
        ExpectedConditions.visibilityOfElementLocated(By.id("result")),
        ExpectedConditions.visibilityOfElementLocated(By.id("error"))));
    assertFalse(d.findElement(By.id("error")).isDisplayed(), () -> d.findElement(By.id("error")).getText());
    WebPageBrowserIT.assertNoCspViolations(d);
  }

  static String receiptState(org.openqa.selenium.WebDriver d, String receipt) {
    d.get("about:blank");
    d.get(receipt);
    WebPageBrowserIT.waitOn(d).until(x -> !x.findElement(By.id("status")).getText().startsWith("Checking"));
    return d.findElement(By.id("status")).getText();
  }

  @Test
  void inChromiumAnAskerGetsA50MibFileOnceFromAResponderInAnotherProfile() throws Exception {
    Path file = LargeFileBrowserIT.randomFile("answer-50mib.bin", 50L << 20);
    String expected = LargeFileBrowserIT.sha256(file);
    org.openqa.selenium.WebDriver asker = WebPageBrowserIT.browser("asker");
    org.openqa.selenium.WebDriver responder = WebPageBrowserIT.browser("responder");
    try {
      String[] links = askInPage(asker, "the signed contract (PDF) — ✓");
      String id = links[0].substring(links[0].indexOf("/a/") + 3, links[0].indexOf('#'));
      assertTrue(links[1].endsWith(links[1].substring(links[1].indexOf('#'))) && links[1].contains("/s/" + id + "#"));
      assertTrue(receiptState(asker, links[2]).startsWith("Waiting"), () -> asker.getPageSource());

      assertTrue(openFill(responder, links[0]));
      assertEquals("the signed contract (PDF) — ✓", responder.findElement(By.id("asked-for")).getText(),
          "the label reaches the responder through the fragment");
      answerInPage(responder, links[0], file, null);
      // the server holds ciphertext sealed to the public key: mode 3, which nothing on the server can open
      assertEquals(3, server.vault().peek(id).orElseThrow().header()[5], "envelope mode 3");
      assertTrue(receiptState(asker, links[2]).startsWith("Answered"), () -> asker.getPageSource());

      // a second answer is refused, in the page and over the API
      assertFalse(openFill(responder, links[0]));
      assertTrue(responder.findElement(By.id("status")).getText().contains("answered already"));
      Run again = ots("too late", "answer", links[0]);
      assertTrue(again.code() != 0 && again.err().contains("answered already"), again.err());

      Path saved = LargeFileBrowserIT.revealFile(asker, "asker", links[1], "answer-50mib.bin",
          java.time.Duration.ofMinutes(3));
      assertEquals(expected, LargeFileBrowserIT.sha256(saved), "the asker gets the exact bytes");
      Files.delete(saved);
      assertTrue(receiptState(asker, links[2]).startsWith("Opened"), () -> asker.getPageSource());
      // a second open is refused
      asker.get("about:blank");
      asker.get(links[1]);
      WebPageBrowserIT.waitOn(asker).until(ExpectedConditions.visibilityOfElementLocated(By.id("gone")));
    } finally {
      asker.quit();
      responder.quit();
      Files.deleteIfExists(file);
    }
  }

  @Test
  void crossedThePageAsksAndOtsAnswersThenOtsAsksAndThePageAnswers() throws Exception {
    org.openqa.selenium.WebDriver d = WebPageBrowserIT.browser("crossed");
    try {
      String[] links = askInPage(d, "VPN pre-shared key");
      Run answered = ots("psk: 7f3a-91c0\n", "answer", links[0]);
      assertEquals(0, answered.code(), answered.err());
      assertTrue(answered.err().contains("Asked for: VPN pre-shared key"), answered.err());
      d.get(links[1]);
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
      d.findElement(By.id("reveal")).click();
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals("psk: 7f3a-91c0\n", d.findElement(By.id("secret")).getAttribute("value"));

      Run asked = ots("", "request", "--server", base, "--label", "recovery codes");
      assertEquals(0, asked.code(), asked.err());
      assertTrue(openFill(d, asked.out().get(0)));
      assertEquals("recovery codes", d.findElement(By.id("asked-for")).getText());
      answerInPage(d, asked.out().get(0), null, "1111-2222\n3333-4444 ✓");
      Path dir = Files.createDirectories(tmp.resolve("crossed"));
      Run opened = ots("", "open", "-o", dir.resolve("codes.txt").toString(), asked.out().get(1));
      assertEquals(0, opened.code(), opened.err());
      assertEquals("1111-2222\n3333-4444 ✓", Files.readString(dir.resolve("codes.txt")));
    } finally {
      d.quit();
    }
  }

  @Test
  void aSwappedKeyIsCaughtByTheAnswerPageAndNothingIsSent() throws Exception {
    org.openqa.selenium.WebDriver d = WebPageBrowserIT.browser("swap");
    try {
      String[] links = askInPage(d, null);
      String id = links[0].substring(links[0].indexOf("/a/") + 3, links[0].indexOf('#'));
      RequestRecord real = server.vault().requests().orElseThrow().request(id).orElseThrow();
      server.vault().requests().orElseThrow().deleteRequest(id);
      server.vault().requests().orElseThrow().putRequest(new RequestRecord(id, real.expiresAt(),
          io.onetimeshare.ClientEnvelope.RecipientKeys.generate().publicKey(), real.ownerTokenHash(), null,
          real.subscription(), real.answerTokenHash()));
      assertFalse(openFill(d, links[0]), "no form for a swapped key");
      assertTrue(d.findElement(By.id("status")).getText().contains("different key"),
          d.findElement(By.id("status")).getText());
      assertTrue(server.vault().requests().orElseThrow().request(id).orElseThrow().answeredAt() == null, "nothing was sent");
      // and a damaged link says so instead of asking for an answer
      assertFalse(openFill(d, links[0].substring(0, links[0].indexOf('#') + 5)));
      assertTrue(d.findElement(By.id("status")).getText().contains("incomplete"));
      // and a fill link from before answer tokens (fingerprint only) says to ask for a new one (issue 36, finding 1)
      assertFalse(openFill(d, links[0].substring(0, links[0].indexOf('#') + 23)));
      assertTrue(d.findElement(By.id("status")).getText().contains("earlier version"),
          d.findElement(By.id("status")).getText());
    } finally {
      d.quit();
    }
  }

  @Test
  void anAnswerGivenUpFreesTheRequestOverHttpAndWhenTheResponderLeavesThePage() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> asked = askOverHttp(http);
    String id = asked.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    HttpRequest answer = HttpRequest.newBuilder(URI.create(base + "api/requests/" + id + "/answer"))
        .header("Content-Type", "application/json").header("OTS-Answer-Token", answerToken(asked))
        .POST(HttpRequest.BodyPublishers.ofString("{\"segmentSize\":65536}")).build();
    HttpResponse<String> first = http.send(answer, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, first.statusCode(), first.body());
    assertTrue(requestInfo(http, id).contains("\"answered\":true"));
    assertEquals(409, http.send(answer, HttpResponse.BodyHandlers.ofString()).statusCode());
    String token = first.body().replaceAll(".*\"deleteToken\":\"([^\"]+)\".*", "$1");
    assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(base + "api/uploads/" + id))
        .header("OTS-Delete-Token", token).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    assertTrue(requestInfo(http, id).contains("\"answered\":false"), "an answer withdrawn frees the request");
    assertEquals(201, http.send(answer, HttpResponse.BodyHandlers.ofString()).statusCode(), "and it takes one again");

    // in the page: the responder leaves while the answer uploads; the page withdraws it as it goes
    Path file = LargeFileBrowserIT.randomFile("left-60mib.bin", 60L << 20);
    org.openqa.selenium.WebDriver d = WebPageBrowserIT.browser("leaver");
    try {
      String[] links = askInPage(d, "a big file");
      String rid = links[0].substring(links[0].indexOf("/a/") + 3, links[0].indexOf('#'));
      assertTrue(openFill(d, links[0]));
      d.findElement(By.id("kind-file")).click();
      d.findElement(By.id("secret-file")).sendKeys(file.toString());
      d.findElement(By.id("send")).click();
      WebPageBrowserIT.waitOn(d).until(x -> x.findElement(By.id("progress-text")).getText().startsWith("Encrypted"));
      d.get("about:blank");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (requestInfo(http, rid).contains("\"answered\":true") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(requestInfo(http, rid).contains("\"answered\":false"), "leaving the page withdrew the answer");
      answerInPage(d, links[0], null, "sent after all");
    } finally {
      d.quit();
      Files.deleteIfExists(file);
    }
  }

  /** A request for a fresh key over the API (ttl 10 min). */
  static HttpResponse<String> askOverHttp(HttpClient http) throws Exception {
    String key = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        io.onetimeshare.ClientEnvelope.RecipientKeys.generate().publicKey());
    return http.send(HttpRequest.newBuilder(URI.create(base + "api/requests"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"publicKey\":\"" + key + "\",\"ttl\":600}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String requestInfo(HttpClient http, String id) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "api/requests/" + id)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
