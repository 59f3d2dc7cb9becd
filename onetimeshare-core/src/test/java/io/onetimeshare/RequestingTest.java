package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 23 through the facade: ask, answer once (sealed to the asker's key), open once by the private key. */
class RequestingTest {
  private final OneTimeShare ots = OneTimeShare.builder().build();

  private void upload(UploadTicket t, ClientEnvelope.Sealing s, String text) throws Exception {
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    try (OutputStream out = s.open(segments)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    ots.appendSegments(t.id(), t.deleteToken(), 0, new ByteArrayInputStream(segments.toByteArray()));
    ots.finishUpload(t.id(), t.deleteToken(), s.header());
  }

  /** A little-endian u-coordinate of 32 bytes. */
  private static byte[] u(java.math.BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  /**
   * Issue 36, finding 10: keys no one can answer are refused (RFC 9180 section 7.1.4 makes every answerer abort on
   * the all-zero shared secret they give): u = 0, 1, p - 1, p, p + 1, the two points of order 8 (RFC 7748's list),
   * each also with the top bit set; a freshly generated key and its top-bit-clear form still work.
   */
  @Test
  void keysOfSmallOrderOrNonCanonicalAreRefused() {
    java.math.BigInteger p = java.math.BigInteger.TWO.pow(255).subtract(java.math.BigInteger.valueOf(19));
    List<byte[]> bad = new java.util.ArrayList<>(List.of(u(java.math.BigInteger.ZERO), u(java.math.BigInteger.ONE),
        u(p.subtract(java.math.BigInteger.ONE)), u(p), u(p.add(java.math.BigInteger.ONE)),
        u(new java.math.BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504")),
        u(new java.math.BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"))));
    for (byte[] k : List.copyOf(bad)) {
      byte[] top = k.clone();
      top[31] |= (byte) 0x80;
      bad.add(top);
    }
    assertEquals(14, bad.size());
    for (byte[] k : bad) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ots.request(k, null),
          java.util.HexFormat.of().formatHex(k));
      assertTrue(e.getMessage().startsWith("This public key cannot be answered"), e.getMessage());
    }
    byte[] good = ClientEnvelope.RecipientKeys.generate().publicKey();
    assertTrue(ots.request(good, null).id().length() == 22, "a real key is accepted");
    byte[] withTop = good.clone();
    withTop[31] |= (byte) 0x80;
    assertThrows(InvalidArgumentException.class, () -> ots.request(withTop, null), "its non-canonical form is not");
  }

  @Test
  void askAnswerOnceOpenOnce() throws Exception {
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    SecretRequest req = ots.request(asker.publicKey(), null);
    assertEquals(SecretRequest.State.WAITING, ots.requestStatus(req.id(), req.ownerToken()));
    SecretRequest.Open open = ots.requestInfo(req.id()).orElseThrow();
    assertArrayEquals(asker.publicKey(), open.publicKey());
    assertArrayEquals(asker.fingerprint(), ClientEnvelope.fingerprint(open.publicKey()), "what the fill link checks");

    // issue 36, finding 1: the id alone (every link's path) answers nothing; the fill link's answer token does
    InvalidAnswerTokenException none = assertThrows(InvalidAnswerTokenException.class,
        () -> ots.answerRequest(req.id(), null, 65536));
    assertTrue(none.getMessage().contains("no answer token"), none.getMessage());
    assertThrows(InvalidAnswerTokenException.class, () -> ots.answerRequest(req.id(), req.ownerToken(), 65536),
        "the owner token is not the answer token");
    String forged = (req.answerToken().charAt(0) == 'A' ? "B" : "A") + req.answerToken().substring(1);
    assertThrows(InvalidAnswerTokenException.class, () -> ots.answerRequest(req.id(), forged, 65536));
    assertEquals(SecretRequest.State.WAITING, ots.requestStatus(req.id(), req.ownerToken()),
        "refused answers leave the request waiting for its real one");
    assertFalse(req.toString().contains(req.answerToken()), "the token stays out of logs");
    UploadTicket t = ots.answerRequest(req.id(), req.answerToken(), 65536);
    assertEquals(req.id(), t.id(), "the answer is the request's secret");
    assertThrows(UploadConflictException.class, () -> ots.answerRequest(req.id(), req.answerToken(), 65536),
        "one answer");
    assertEquals(SecretRequest.State.ANSWERED, ots.requestStatus(req.id(), req.ownerToken()));
    ClientEnvelope.Sealing wrongMode = ClientEnvelope.seal(t.id(), t.segmentSize(), null,
        io.onetimeshare.crypto.Argon2idParameters.owaspMinimum(), SecretKind.TEXT, null, null);
    assertThrows(InvalidArgumentException.class, () -> ots.finishUpload(t.id(), t.deleteToken(), wrongMode.header()),
        "an answer must be sealed to the request's key");
    upload(t, ClientEnvelope.sealTo(t.id(), t.segmentSize(), open.publicKey(), SecretKind.TEXT, null, null),
        "the password is swordfish");

    SecretInfo info = ots.peek(req.id()).orElseThrow();
    byte[] proof = ClientEnvelope.proof(req.id(), info.proofContext(), Credential.key(asker.privateKey()));
    try (SealedSecret s = ots.openSealed(req.id(), proof)) {
      OpenedStream o = ClientEnvelope.open(req.id(), Credential.key(asker.privateKey()), s.envelope());
      assertEquals("the password is swordfish", new String(o.content().readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThrows(SecretNotFoundException.class, () -> ots.openSealed(req.id(), proof), "opened once");
    assertEquals(SecretRequest.State.OPENED, ots.requestStatus(req.id(), req.ownerToken()));
    assertThrows(UploadConflictException.class, () -> ots.answerRequest(req.id(), req.answerToken(), 65536),
        "and never again");
    assertThrows(InvalidDeleteTokenException.class, () -> ots.requestStatus(req.id(), "x".repeat(43)));
  }

  /**
   * Requests are a capability of their own (issue 37): a host's vault without them (its {@code requests()} empty)
   * still stores and opens secrets, and asking for a request is refused with a message that says why.
   */
  @Test
  void aVaultWithoutRequestsRefusesThemAndStillSharesSecrets() throws Exception {
    io.onetimeshare.spi.SecretVault inner = io.onetimeshare.memory.InMemorySecretVault.builder().build();
    io.onetimeshare.spi.SecretVault plain = (io.onetimeshare.spi.SecretVault) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.onetimeshare.spi.SecretVault.class}, (proxy, m, args) -> {
          if (m.getName().equals("requests")) {
            return java.util.Optional.empty();
          }
          try {
            return m.invoke(inner, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (OneTimeShare host = OneTimeShare.builder().vault(plain).build()) {
      ShareReceipt r = host.share("still works", ShareOptions.builder().build());
      assertEquals("still works", host.open(r.id(), Credential.key(r.key())).text());
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> host.request(ClientEnvelope.RecipientKeys.generate().publicKey(), null));
      assertEquals("This vault stores no secret requests (its SecretVault.requests() is empty).", e.getMessage());
    }
  }

  @Test
  void aRequestStoredBeforeAnswerTokensIsRefusedWithAClearMessage() {
    io.onetimeshare.memory.InMemorySecretVault vault = io.onetimeshare.memory.InMemorySecretVault.builder().build();
    OneTimeShare old = OneTimeShare.builder().vault(vault).build();
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    SecretRequest req = old.request(asker.publicKey(), null);
    io.onetimeshare.spi.RequestRecord stored = vault.request(req.id()).orElseThrow();
    vault.requests().orElseThrow().deleteRequest(req.id());
    vault.requests().orElseThrow().putRequest(new io.onetimeshare.spi.RequestRecord(stored.id(), stored.expiresAt(), stored.publicKey(),
        stored.ownerTokenHash(), null)); // as 0.3 stored it: no answer token's hash
    InvalidAnswerTokenException e = assertThrows(InvalidAnswerTokenException.class,
        () -> old.answerRequest(req.id(), req.answerToken(), 65536));
    assertTrue(e.predatesTokens() && e.getMessage().contains("new request"), e.getMessage());
  }

  @Test
  void aPublicKeyEnvelopeIsOnlyAnAnswerAndARequestCanBeWithdrawn() throws Exception {
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    UploadTicket plain = ots.beginUpload(null, 65536);
    assertThrows(InvalidArgumentException.class, () -> ots.finishUpload(plain.id(), plain.deleteToken(),
        ClientEnvelope.sealTo(plain.id(), plain.segmentSize(), asker.publicKey(), SecretKind.TEXT, null, null)
            .header()));
    SecretRequest req = ots.request(asker.publicKey(), java.time.Duration.ofMinutes(5));
    ots.deleteRequest(req.id(), req.ownerToken());
    assertTrue(ots.requestInfo(req.id()).isEmpty());
    assertThrows(SecretNotFoundException.class, () -> ots.answerRequest(req.id(), req.answerToken(), 65536));
    assertThrows(InvalidArgumentException.class, () -> ots.request(new byte[31], null));
  }
}
