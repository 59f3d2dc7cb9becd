package io.onetimeshare;

import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.UploadProgress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Receipts, uploads of client-sealed secrets, and opening by proof, through the facade. */
class ClientSealedTest {
  private final MutableClock clock = MutableClock.startingNow();
  private final OneTimeShare ots = OneTimeShare.builder().clock(clock)
      .vault(InMemorySecretVault.builder().clock(clock).build())
      .argon2(Argon2idParameters.owaspMinimum()).minUploadSegmentSize(1024).build();

  /** Seals {@code content} on the "client" and uploads it in requests of {@code perRequest} segments. */
  private String[] upload(byte[] content, char[] passphrase, int segmentSize, int perRequest) throws Exception {
    UploadTicket t = ots.beginUpload(Duration.ofHours(1), segmentSize);
    ClientEnvelope.Sealing s = ClientEnvelope.seal(t.id(), segmentSize, passphrase,
        Argon2idParameters.owaspMinimum(), SecretKind.FILE, "data.bin", "application/x-test");
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    try (OutputStream out = s.open(segments)) {
      out.write(content);
    }
    byte[] all = segments.toByteArray();
    int chunk = (segmentSize + 16) * perRequest;
    long next = 0;
    for (int off = 0; off < all.length; off += chunk) {
      int len = Math.min(chunk, all.length - off);
      next = ots.appendSegments(t.id(), t.deleteToken(), next, new ByteArrayInputStream(all, off, len));
    }
    ots.finishUpload(t.id(), t.deleteToken(), s.header());
    return new String[] {t.id(), t.deleteToken(), s.key()};
  }

  private byte[] openLocally(String id, Credential c) throws Exception {
    byte[] context = ots.peek(id).orElseThrow().proofContext();
    byte[] proof = ClientEnvelope.proof(id, context, c);
    try (SealedSecret sealed = ots.openSealed(id, proof);
         OpenedStream o = ClientEnvelope.open(id, c, sealed.envelope())) {
      assertEquals("data.bin", o.filename());
      return o.content().readAllBytes();
    }
  }

  @Test
  void clientSealedUploadOpensOnTheClientAndThroughTheLibrary() throws Exception {
    byte[] content = new byte[300_000];
    new Random(1).nextBytes(content);
    String[] a = upload(content, null, 4096, 7);
    assertArrayEquals(content, openLocally(a[0], Credential.key(a[2])));
    assertThrows(SecretNotFoundException.class, () -> ots.openSealed(a[0], new byte[32]));
    String[] b = upload(content, null, 1024, 1);
    try (OpenedStream o = ots.openStream(b[0], Credential.key(b[2]))) { // the server can open it given the key
      assertArrayEquals(content, o.content().readAllBytes());
    }
  }

  @Test
  void passphraseEnvelopeFromTheClientCountsWrongProofs() throws Exception {
    String[] a = upload("hello".getBytes(StandardCharsets.UTF_8), "correct horse".toCharArray(), 1024, 4);
    assertNull(a[2]);
    byte[] context = ots.peek(a[0]).orElseThrow().proofContext();
    byte[] wrong = ClientEnvelope.proof(a[0], context, Credential.passphrase("wrong"));
    WrongCredentialException e = assertThrows(WrongCredentialException.class, () -> ots.openSealed(a[0], wrong));
    assertEquals(4, e.attemptsLeft());
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), openLocally(a[0], Credential.passphrase("correct horse")));
  }

  @Test
  void wrongRandomProofsCostNothing() throws Exception {
    String[] a = upload(new byte[] {1, 2, 3}, null, 1024, 1);
    for (int i = 0; i < 20; i++) {
      WrongCredentialException e = assertThrows(WrongCredentialException.class,
          () -> ots.openSealed(a[0], new byte[32]));
      assertEquals(5, e.attemptsLeft());
      // issue 36, finding 10: the message says what is true (it said "5 attempt(s) left before the secret is destroyed")
      assertEquals("The key is wrong. Wrong keys cost this secret nothing: it can still be opened with the right one.",
          e.getMessage());
    }
    assertArrayEquals(new byte[] {1, 2, 3}, openLocally(a[0], Credential.key(a[2])));
  }

  @Test
  void serverSealedSecretsOpenByProofToo() throws Exception {
    ShareReceipt r = ots.share("from the library");
    byte[] context = ots.peek(r.id()).orElseThrow().proofContext();
    Credential key = Credential.key(r.key());
    try (SealedSecret s = ots.openSealed(r.id(), ClientEnvelope.proof(r.id(), context, key));
         OpenedStream o = ClientEnvelope.open(r.id(), key, s.envelope())) {
      assertEquals(SecretKind.TEXT, o.kind());
      assertEquals("from the library", new String(o.content().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void receiptsTellTheCreatorAndNobodyElse() throws Exception {
    ShareReceipt opened = ots.share("a");
    ShareReceipt deleted = ots.share("b");
    ShareReceipt expired = ots.share("c", ShareOptions.builder().ttl(Duration.ofMinutes(5)).build());
    ShareReceipt burned = ots.share("d", ShareOptions.builder().passphrase("right").build());
    assertEquals(SecretState.WAITING, ots.status(opened.id(), opened.deleteToken()).state());
    clock.advance(Duration.ofSeconds(3));
    ots.open(opened.id(), Credential.key(opened.key()));
    SecretStatus s = ots.status(opened.id(), opened.deleteToken());
    assertEquals(SecretState.OPENED, s.state());
    assertNotNull(s.at());
    ots.delete(deleted.id(), deleted.deleteToken());
    assertEquals(SecretState.DELETED, ots.status(deleted.id(), deleted.deleteToken()).state());
    for (int i = 0; i < 5; i++) {
      assertThrows(WrongCredentialException.class, () -> ots.open(burned.id(), Credential.passphrase("wrong")));
    }
    assertEquals(SecretState.BURNED, ots.status(burned.id(), burned.deleteToken()).state());
    assertThrows(InvalidDeleteTokenException.class, () -> ots.status(opened.id(), deleted.deleteToken()));
    assertThrows(InvalidDeleteTokenException.class, () -> ots.status(opened.id(), "x"));
    clock.advance(Duration.ofMinutes(6));
    SecretStatus e = ots.status(expired.id(), expired.deleteToken());
    assertEquals(SecretState.EXPIRED, e.state());
    assertEquals(expired.expiresAt(), e.at());
    assertEquals(SecretState.OPENED, ots.status(opened.id(), opened.deleteToken()).state());
    clock.advance(Duration.ofDays(2));
    assertThrows(SecretNotFoundException.class, () -> ots.status(opened.id(), opened.deleteToken()));
  }

  @Test
  void uploadsAreBoundedAndAuthorised() throws Exception {
    OneTimeShare small = OneTimeShare.builder().maxContentBytes(10_000).minUploadSegmentSize(1024).build();
    UploadTicket t = small.beginUpload(null, 1024);
    assertThrows(InvalidDeleteTokenException.class,
        () -> small.appendSegments(t.id(), "A".repeat(43), 0, new ByteArrayInputStream(new byte[1040])));
    InputStream huge = new ByteArrayInputStream(new byte[1040 * 20]);
    assertThrows(TooLargeException.class, () -> small.appendSegments(t.id(), t.deleteToken(), 0, huge));
    assertThrows(InvalidArgumentException.class, () -> small.beginUpload(null, 2 * 1024 * 1024));
    UploadTicket u = small.beginUpload(null, 1024);
    small.appendSegments(u.id(), u.deleteToken(), 0, new ByteArrayInputStream(new byte[100]));
    assertThrows(InvalidArgumentException.class, () -> small.finishUpload(u.id(), u.deleteToken(), new byte[57]));
    UploadConflictException c = assertThrows(UploadConflictException.class,
        () -> small.appendSegments(u.id(), u.deleteToken(), 1, new ByteArrayInputStream(new byte[100])));
    assertEquals(-1, c.expectedSegment());
  }

  /**
   * Issue 19, finding 2: a client may not choose how much Argon2id memory or time the server spends. A header that
   * names more than the server's own parameters is refused at finish with a clear message, and nothing is stored.
   */
  @Test
  void anUploadWhoseArgon2idCostsMoreThanTheServersOwnIsRefusedAtFinish() throws Exception {
    Argon2idParameters dearer = new Argon2idParameters(Argon2idParameters.owaspMinimum().memoryKiB() * 2, 1, 1);
    String id = assertRefusedAtFinish(dearer, "ceiling");
    assertThrows(SecretNotFoundException.class, () -> ots.openSealed(id, new byte[32]));
  }

  /** Uploads a one-byte passphrase envelope sealed with {@code kdf}; finish must refuse it naming {@code why}. */
  private String assertRefusedAtFinish(Argon2idParameters kdf, String why) throws Exception {
    UploadTicket t = ots.beginUpload(Duration.ofHours(1), 4096);
    ClientEnvelope.Sealing s = ClientEnvelope.seal(t.id(), 4096, "pw".toCharArray(), kdf, SecretKind.TEXT, null, null);
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    try (OutputStream out = s.open(segments)) {
      out.write("x".getBytes(StandardCharsets.UTF_8));
    }
    ots.appendSegments(t.id(), t.deleteToken(), 0, new ByteArrayInputStream(segments.toByteArray()));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ots.finishUpload(t.id(), t.deleteToken(), s.header()));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(why), e.getMessage());
    return t.id();
  }

  /**
   * Issue 19, finding 3: requests for one upload that all read its progress before any stored a byte each stayed
   * under the limit on their own and together went three times past it. The limit now follows from the index a
   * segment is stored at, which the vault hands out atomically.
   */
  @Test
  void concurrentAppendsCannotTogetherPassTheSizeLimit() throws Exception {
    OneTimeShare small = OneTimeShare.builder().maxContentBytes(10_000).minUploadSegmentSize(1024).build();
    UploadTicket t = small.beginUpload(null, 1024);
    int perRequest = 10; // 10,400 bytes: each request alone is within the limit (10,000 + prefix + tags)
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(3);
    java.util.concurrent.CountDownLatch[] go = new java.util.concurrent.CountDownLatch[3];
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      java.util.List<java.util.concurrent.Future<Long>> results = new java.util.ArrayList<>();
      for (int k = 0; k < 3; k++) {
        go[k] = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch mine = go[k];
        InputStream body = new java.io.FilterInputStream(new ByteArrayInputStream(new byte[1040 * perRequest])) {
          private boolean started;

          @Override
          public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (!started) { // the request's "body arrives" only after every request has read the progress
              started = true;
              reading.countDown();
              try {
                mine.await(10, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
              }
            }
            return super.read(b, off, len);
          }
        };
        long first = (long) k * perRequest;
        results.add(pool.submit(() -> small.appendSegments(t.id(), t.deleteToken(), first, body)));
      }
      org.junit.jupiter.api.Assertions.assertTrue(reading.await(10, java.util.concurrent.TimeUnit.SECONDS));
      int refused = 0;
      for (int k = 0; k < 3; k++) {
        go[k].countDown();
        try {
          results.get(k).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          org.junit.jupiter.api.Assertions.assertInstanceOf(TooLargeException.class, e.getCause());
          refused++;
        }
      }
      assertEquals(2, refused, "the second and third requests go past the limit");
      UploadProgress p = small.uploadProgress(t.id(), t.deleteToken());
      org.junit.jupiter.api.Assertions.assertTrue(p.bytes() <= 10_000 + 515 + 16 * 11, "stored " + p.bytes());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void uploadsRefuseSegmentsBelowTheFloor() {
    OneTimeShare defaults = OneTimeShare.builder().build();
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> defaults.beginUpload(null, 16));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("65536"), e.getMessage());
    assertNotNull(defaults.beginUpload(null, 64 * 1024));
    assertNotNull(defaults.beginUpload(null, 256 * 1024));
  }

  /** A passphrase envelope weaker than what clients accept to prove with is refused: it could never be opened. */
  @Test
  void anUploadBelowTheArgon2idFloorIsRefusedAtFinish() throws Exception {
    assertRefusedAtFinish(new Argon2idParameters(8, 1, 1), "floor");
  }
}
