package io.onetimeshare;

import io.onetimeshare.spi.ShareEvents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OneTimeShareTest {
  /**
   * Opening through the facade gives the memory vault back everything the secret held but its receipt's trace: the
   * claim itself is closed with the stream, not only the body (before, every open kept its body charged, until a
   * full budget refused every create).
   */
  @Test
  void openingGivesTheMemoryBudgetBack() throws Exception {
    InMemorySecretVault vault = InMemorySecretVault.builder().maxBytes(1L << 20).build();
    try (OneTimeShare o = OneTimeShare.builder().vault(vault).build()) {
      byte[] content = new byte[4096];
      for (int i = 0; i < 2000; i++) { // 2000 x 4 KiB = 8 MiB through a 1 MiB budget
        ShareReceipt r = o.share(content, ShareOptions.defaults());
        if (i % 2 == 0) {
          o.open(r.id(), Credential.key(r.key()));
        } else {
          try (OpenedStream s = o.openStream(r.id(), Credential.key(r.key()))) {
            assertEquals(4096, s.content().readAllBytes().length);
          }
        }
      }
      assertTrue(vault.usedBytes() <= 2000L * 200, "only the traces (160 B each) stay charged: " + vault.usedBytes());
    }
  }
  static final int SEGMENT = 64;
  /** Cheap Argon2id for tests; the defaults are exercised in the test vectors and the bench. */
  static final Argon2idParameters FAST = new Argon2idParameters(64, 1, 1);
  private final MutableClock clock = MutableClock.startingNow();
  private final InMemorySecretVault vault = InMemorySecretVault.builder().clock(clock).build();
  private final OneTimeShare ots = OneTimeShare.builder().vault(vault).clock(clock).segmentSize(SEGMENT)
      .argon2(FAST).maxContentBytes(1 << 20).build();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Test
  void textRoundTripOnce() {
    ShareReceipt r = ots.share("héllo wörld ✓");
    assertEquals(22, r.id().length());
    assertEquals(43, r.key().length());
    assertEquals(43, r.deleteToken().length());
    OpenedSecret s = ots.open(r.id(), Credential.key(r.key()));
    assertEquals("héllo wörld ✓", s.text());
    assertEquals(SecretKind.TEXT, s.kind());
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.key(r.key())));
    assertTrue(ots.peek(r.id()).isEmpty());
  }

  /** Sizes around the segment boundary (the sealed plaintext carries a small metadata prefix too). */
  /**
   * Streaming a secret out copies it through no buffer that stays unwiped: every array the stream hands to the
   * output holds zeros once the stream is closed (JDK 17's transferTo would hand over a buffer of its own).
   */
  @Test
  void streamedPlaintextLeavesNoUnwipedBuffer() throws IOException {
    byte[] content = random(3 * SEGMENT + 17);
    ShareReceipt r = ots.share(content, ShareOptions.builder().filename("data.bin").build());
    List<byte[]> handed = new ArrayList<>();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    java.io.OutputStream recording = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        got.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        handed.add(b);
        got.write(b, off, len);
      }
    };
    try (OpenedStream s = ots.openStream(r.id(), Credential.key(r.key()))) {
      s.content().transferTo(recording);
    }
    assertArrayEquals(content, got.toByteArray());
    assertFalse(handed.isEmpty());
    for (byte[] b : handed) {
      for (byte x : b) {
        assertEquals(0, x, "a buffer that held plaintext was not wiped");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, SEGMENT - 6, SEGMENT - 5, SEGMENT - 4, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT,
      2 * SEGMENT + 1, 1000 * SEGMENT + 3, 500_000})
  void bytesOfEverySizeRoundTrip(int size) throws IOException {
    byte[] content = random(size);
    ShareReceipt r = ots.share(content, ShareOptions.builder().filename("data.bin").contentType("application/x-test")
        .build());
    try (OpenedStream s = ots.openStream(r.id(), Credential.key(r.key()))) {
      assertEquals(SecretKind.FILE, s.kind());
      assertEquals("data.bin", s.filename());
      assertEquals("application/x-test", s.contentType());
      assertArrayEquals(content, s.content().readAllBytes());
    }
  }

  @Test
  void streamSharesAreFiles() throws IOException {
    byte[] content = random(10_000);
    ShareReceipt r = ots.share(new ByteArrayInputStream(content), ShareOptions.defaults());
    OpenedSecret s = ots.open(r.id(), Credential.key(r.key()));
    assertEquals(SecretKind.FILE, s.kind());
    assertNull(s.filename());
    assertArrayEquals(content, s.content());
  }

  @Test
  void passphraseRoundTripAndWrongAttempts() {
    ShareReceipt r = ots.share("pin 4321", ShareOptions.builder().passphrase("correct horse").build());
    assertNull(r.key());
    assertTrue(r.passphraseRequired());
    assertTrue(ots.peek(r.id()).orElseThrow().passphraseRequired());
    WrongCredentialException e = assertThrows(WrongCredentialException.class,
        () -> ots.open(r.id(), Credential.passphrase("wrong")));
    assertEquals(4, e.attemptsLeft());
    assertEquals(4, ots.peek(r.id()).orElseThrow().attemptsLeft());
    assertEquals("pin 4321", ots.open(r.id(), Credential.passphrase("correct horse")).text());
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.passphrase("correct horse")));
  }

  @Test
  void wrongKeysNeverBurnARandomKeySecret() {
    ShareReceipt r = ots.share("x");
    String wrongKey = ots.share("y").key();
    for (int i = 0; i < 50; i++) {
      WrongCredentialException e = assertThrows(WrongCredentialException.class,
          () -> ots.open(r.id(), Credential.key(wrongKey)));
      assertEquals(5, e.attemptsLeft(), "a wrong key costs nothing: 256 bits cannot be guessed");
    }
    assertEquals("x", ots.open(r.id(), Credential.key(r.key())).text());
  }

  @Test
  void passphraseSecretDestroyedAfterMaxWrongAttempts() {
    ShareReceipt r = ots.share("x", ShareOptions.builder().passphrase("right").build());
    for (int left = 4; left >= 0; left--) {
      WrongCredentialException e = assertThrows(WrongCredentialException.class,
          () -> ots.open(r.id(), Credential.passphrase("wrong")));
      assertEquals(left, e.attemptsLeft());
    }
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.passphrase("right")));
    assertTrue(ots.peek(r.id()).isEmpty());
  }

  /** Racing guesses with one attempt left: only one passphrase may be tried, whatever the KDF concurrency. */
  @Test
  void racingGuessesNeverExceedTheAttemptLimit() throws Exception {
    // every Argon2id derivation is counted (ShareEvents): the property is that no more passphrases are derived and
    // checked than the secret has attempts, however the guesses race
    AtomicInteger derivations = new AtomicInteger();
    ShareEvents counting = new ShareEvents() {
      @Override
      public void kdfAdmitted(Duration waited, int queued) {
        derivations.incrementAndGet();
      }
    };
    OneTimeShare one = OneTimeShare.builder().vault(vault).clock(clock).argon2(FAST).events(counting)
        .maxAttempts(1).kdfLimits(16, 64, Duration.ofSeconds(30)).build();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 10; round++) {
        ShareReceipt r = one.share("round " + round, ShareOptions.builder().passphrase("right").build());
        derivations.set(0); // sharing derived once
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger tried = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String guess = t == threads - 1 ? "right" : "wrong " + t;
          fs.add(pool.submit(() -> {
            go.await();
            try {
              one.open(r.id(), Credential.passphrase(guess));
              tried.incrementAndGet();
              opened.incrementAndGet();
            } catch (WrongCredentialException e) {
              tried.incrementAndGet();
            } catch (SecretNotFoundException e) {
              // no attempt left to take: refused before any derivation
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1, tried.get(), "round " + round + ": exactly one passphrase was tried");
        assertEquals(1, derivations.get(), "round " + round + ": one derivation for one attempt, not one per guess");
        assertTrue(one.peek(r.id()).isEmpty());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keyForPassphraseSecretIsAClearErrorAndCostsNoAttempt() {
    ShareReceipt r = ots.share("x", ShareOptions.builder().passphrase("pw").build());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ots.open(r.id(), Credential.key(new byte[32])));
    assertTrue(e.getMessage().contains("passphrase"));
    assertEquals(5, ots.peek(r.id()).orElseThrow().attemptsLeft());
  }

  @Test
  void exactlyOnceUnder64ConcurrentOpens() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      for (int round = 0; round < 10; round++) {
        ShareReceipt r = ots.share("round " + round);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger notFound = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
          fs.add(pool.submit(() -> {
            go.await();
            try {
              ots.open(r.id(), Credential.key(r.key()));
              delivered.incrementAndGet();
            } catch (SecretNotFoundException e) {
              notFound.incrementAndGet();
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1, delivered.get());
        assertEquals(63, notFound.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void expiredSecretsAreGoneAndReclaimed() {
    ShareReceipt r = ots.share("soon gone", ShareOptions.builder().ttl(Duration.ofMinutes(2)).build());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(ots.peek(r.id()).isPresent());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(ots.peek(r.id()).isEmpty());
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.key(r.key())));
    vault.cleanUp();
    assertEquals(0, vault.size());
  }

  @Test
  void deleteWithToken() {
    ShareReceipt r = ots.share("delete me");
    assertThrows(InvalidDeleteTokenException.class, () -> ots.delete(r.id(), "A".repeat(43)));
    assertThrows(InvalidDeleteTokenException.class, () -> ots.delete(r.id(), "short"));
    assertTrue(ots.peek(r.id()).isPresent());
    ots.delete(r.id(), r.deleteToken());
    assertThrows(SecretNotFoundException.class, () -> ots.delete(r.id(), r.deleteToken()));
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.key(r.key())));
  }

  @Test
  void tooLargeStoresNothing() {
    OneTimeShare small = OneTimeShare.builder().vault(vault).clock(clock).maxContentBytes(1000).build();
    TooLargeException e = assertThrows(TooLargeException.class,
        () -> small.share(new ByteArrayInputStream(random(5000)), ShareOptions.defaults()));
    assertEquals(1000, e.limitBytes());
    assertEquals(0, vault.size());
  }

  @Test
  void failingSourceStoresNothing() {
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (++n > 5000) {
          throw new IOException("client disconnected");
        }
        return 7;
      }
    };
    assertThrows(IOException.class, () -> ots.share(failing, ShareOptions.defaults()));
    assertEquals(0, vault.size());
  }

  @Test
  void badInputGetsClearErrors() {
    assertThrows(NullPointerException.class, () -> ots.share((String) null));
    assertMessage(() -> ots.share(""), "empty");
    assertMessage(() -> ots.share(new byte[0], ShareOptions.defaults()), "empty");
    assertMessage(() -> ots.share("x", ShareOptions.builder().ttl(Duration.ZERO).build()), "between 60 and 604800");
    assertMessage(() -> ots.share("x", ShareOptions.builder().ttl(Duration.ofSeconds(-5)).build()), "time to live");
    assertMessage(() -> ots.share("x", ShareOptions.builder().ttl(Duration.ofDays(8)).build()), "time to live");
    assertMessage(() -> ots.share("x", ShareOptions.builder().passphrase("").build()), "passphrase is empty");
    assertMessage(() -> ots.share("x", ShareOptions.builder().passphrase("p".repeat(1025)).build()), "longer than");
    assertMessage(() -> ots.share("x", ShareOptions.builder().filename("a\nb").build()), "control");
    assertMessage(() -> ots.share("x", ShareOptions.builder().filename("f".repeat(256)).build()), "255");
    for (String id : new String[] {"", "abc", "../../../etc/passwd", "A".repeat(23), "AAAAAAAAAAAAAAAAAAAA/A", "%2e%2e"}) {
      assertMessage(() -> ots.peek(id), "secret id");
      assertMessage(() -> ots.open(id, Credential.key(new byte[32])), "secret id");
      assertMessage(() -> ots.delete(id, "t"), "secret id");
    }
    assertMessage(() -> Credential.key("short"), "43 base64url");
    assertMessage(() -> Credential.key("!".repeat(43)), "base64url");
    assertMessage(() -> Credential.key(new byte[31]), "32 bytes");
    assertMessage(() -> OneTimeShare.builder().maxAttempts(0), "maxAttempts");
    assertMessage(() -> OneTimeShare.builder().defaultTtl(Duration.ofSeconds(10)), "default time to live");
    assertMessage(() -> OneTimeShare.builder().argon2(new Argon2idParameters(1 << 20, 20, 4)).build(), "ceiling");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
    InvalidArgumentException x = assertThrows(InvalidArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), () -> "'" + x.getMessage() + "' should mention '" + part + "'");
  }

  @Test
  void nothingSecretInToStringOrMessages() {
    ShareReceipt r = ots.share("the plaintext", ShareOptions.builder().filename("secret-name.txt").build());
    ShareOptions opts = ShareOptions.builder().passphrase("my passphrase").filename("secret-name.txt").build();
    Credential c = Credential.passphrase("my passphrase");
    String all = r + " " + opts + " " + c + " " + Credential.key(r.key()) + " " + ots.peek(r.id()).orElseThrow()
        + " " + ots.open(r.id(), Credential.key(r.key())) + " " + vault.peek(r.id());
    for (String secret : new String[] {r.key(), r.deleteToken(), "my passphrase", "the plaintext", "secret-name"}) {
      assertFalse(all.contains(secret), secret);
    }
  }

  @Test
  void idsKeysAndTokensAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ShareReceipt r = ots.share("s");
      assertTrue(seen.add(r.id()));
      assertTrue(seen.add(r.key()));
      assertTrue(seen.add(r.deleteToken()));
    }
  }

  @Test
  void kdfWorkIsBoundedAndOverloadIsClear() throws Exception {
    OneTimeShare gated = OneTimeShare.builder().vault(vault).clock(clock)
        .argon2(new Argon2idParameters(8 * 1024, 2, 1)).kdfLimits(2, 2, Duration.ofMillis(1)).build();
    int threads = 64;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger overloaded = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        try {
          gated.share("s", ShareOptions.builder().passphrase("pw").build());
          ok.incrementAndGet();
        } catch (OverloadedException e) {
          assertTrue(e.getMessage().contains("try again"));
          overloaded.incrementAndGet();
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(threads, ok.get() + overloaded.get());
    assertTrue(ok.get() >= 2, "some derivations ran");
    assertTrue(overloaded.get() > 0, "the rest were refused, not queued without bound");
    assertTrue(gated.peakKdfConcurrency() <= 2, "never more than the configured concurrency");
  }

  @Test
  void differentSecretsGetDifferentHeaders() {
    ShareReceipt a = ots.share("same");
    ShareReceipt b = ots.share("same");
    assertNotEquals(vault.peek(a.id()).orElseThrow(), vault.peek(b.id()).orElseThrow());
  }

  /** Every event, exactly once per thing that happened, and nothing secret in any of them. */
  @Test
  void eventsReportWhatHappened() {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    ShareEvents events = new ShareEvents() {
      @Override
      public void created(SecretKind kind, long bytes) {
        seen.add("created " + kind + " " + bytes);
      }

      @Override
      public void opened(SecretKind kind) {
        seen.add("opened " + kind);
      }

      @Override
      public void deleted() {
        seen.add("deleted");
      }

      @Override
      public void burned() {
        seen.add("burned");
      }

      @Override
      public void wrongCredential(boolean passphrase) {
        seen.add("wrong " + (passphrase ? "passphrase" : "key"));
      }

      @Override
      public void expired(long count) {
        seen.add("expired " + count);
      }

      @Override
      public void kdfAdmitted(Duration waited, int queued) {
        seen.add("kdf");
      }

      @Override
      public void vaultCall(String operation, Duration took, boolean failed) {
        seen.add("vault " + operation + (failed ? " failed" : ""));
      }
    };
    InMemorySecretVault v = InMemorySecretVault.builder().clock(clock).events(events).build();
    OneTimeShare o = OneTimeShare.builder().vault(v).clock(clock).argon2(FAST).maxAttempts(1).events(events).build();
    ShareReceipt a = o.share("12345");
    assertThrows(WrongCredentialException.class, () -> o.open(a.id(), Credential.key(new byte[32])));
    o.open(a.id(), Credential.key(a.key()));
    ShareReceipt b = o.share("gone soon");
    o.delete(b.id(), b.deleteToken());
    ShareReceipt c = o.share("pin", ShareOptions.builder().passphrase("right").build());
    assertThrows(WrongCredentialException.class, () -> o.open(c.id(), Credential.passphrase("wrong")));
    o.share("expires", ShareOptions.builder().ttl(Duration.ofMinutes(1)).build());
    clock.advance(Duration.ofMinutes(2));
    v.cleanUp();
    List<String> facts = seen.stream().filter(e -> !e.startsWith("vault ")).toList();
    assertEquals(List.of("created TEXT 5", "wrong key", "opened TEXT", "created TEXT 9", "deleted", "kdf",
        "created TEXT 3", "kdf", "wrong passphrase", "burned", "created TEXT 7", "expired 1"), facts);
    assertTrue(seen.contains("vault put") && seen.contains("vault claim") && seen.contains("vault delete")
        && seen.contains("vault reserveAttempt"), seen.toString());
    assertFalse(seen.stream().anyMatch(e -> e.contains("failed")), seen.toString());
  }

  /** Issue 21: who created what reaches the events with a digest of the id, never the id; without a creator, nothing. */
  @Test
  void theCreatorIsReportedWithADigestOfTheIdOnly() {
    List<io.onetimeshare.spi.Creation> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ShareEvents audit = new ShareEvents() {
      @Override
      public void createdBy(io.onetimeshare.spi.Creation c) {
        seen.add(c);
      }
    };
    try (OneTimeShare one = OneTimeShare.builder().argon2(FAST).events(audit).build()) {
      one.share("anonymous", ShareOptions.defaults());
      assertTrue(seen.isEmpty(), "no creator named, nothing reported");
      ShareReceipt r = one.share("twelve bytes", ShareOptions.builder().creator("token:ci").ttl(Duration.ofHours(1))
          .build());
      assertEquals(1, seen.size());
      io.onetimeshare.spi.Creation c = seen.get(0);
      assertEquals("token:ci", c.creator());
      assertEquals(12, c.bytes());
      assertEquals(Duration.ofHours(1), c.ttl());
      assertEquals(SecretKind.TEXT, c.kind());
      assertTrue(c.idDigest().matches("[0-9a-f]{12}") && !r.id().contains(c.idDigest()), c.idDigest());
      assertEquals(OneTimeShare.idDigest(r.id()), c.idDigest(), "the same id always gives the same digest");
      UploadTicket t = one.beginUpload(null, 65536, "user:alice@example.com");
      assertEquals(2, seen.size());
      assertEquals(-1, seen.get(1).bytes(), "an upload's size is not known when it begins");
      assertEquals(OneTimeShare.idDigest(t.id()), seen.get(1).idDigest());
    }
  }
}
