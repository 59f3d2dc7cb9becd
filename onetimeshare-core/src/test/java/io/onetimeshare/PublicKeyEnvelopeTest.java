package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.Sealer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Envelope mode 3 (issue 23): a secret sealed to a public key. Checked against the RFC 9180 vectors through an
 * independent HPKE ({@link RfcHpke}), against published vectors ({@code vectors/envelope-v1-public-key.json}) that the
 * reference decoder of docs/format.md opens, and against every tampering that must fail.
 */
class PublicKeyEnvelopeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAQ";

  @Test
  void theIndependentHpkeReproducesRfc9180AppendixA1() throws Exception {
    // RFC 9180, A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode
    byte[] skE = HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
    byte[] skR = HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    byte[] pkR = HEX.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
    byte[] info = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
    assertArrayEquals(pkR, RfcHpke.publicOf(skR));
    assertArrayEquals(HEX.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"),
        RfcHpke.publicOf(skE), "enc");
    RfcHpke.Schedule s = new RfcHpke(1).sender(skE, pkR, info);
    assertArrayEquals(HEX.parseHex("fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc"),
        s.sharedSecret());
    assertArrayEquals(HEX.parseHex("4531685d41d65f03dc48f6b8302c05b0"), s.key());
    assertArrayEquals(HEX.parseHex("56d890e5accaaf011cff4b7d"), s.baseNonce());
    byte[] ct = RfcHpke.seal(s, HEX.parseHex("436f756e742d30"),
        HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479"));
    assertArrayEquals(HEX.parseHex("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea"
        + "87e13c512a"), ct);
    RfcHpke.Schedule r = new RfcHpke(1).receiver(skR, RfcHpke.publicOf(skE), info);
    assertArrayEquals(s.key(), r.key());
  }

  private static byte[] envelope(ClientEnvelope.Sealing s, byte[] content) throws IOException {
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    try (OutputStream out = s.open(segments)) {
      out.write(content);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(s.header());
    all.write(segments.toByteArray());
    return all.toByteArray();
  }

  private static String read(OpenedStream o) throws IOException {
    try (InputStream in = o.content()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void sealedToAPublicKeyOnlyItsPrivateKeyOpens() throws Exception {
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    ClientEnvelope.Sealing s = ClientEnvelope.sealTo(ID, 65536, asker.publicKey(), SecretKind.FILE, "a.txt", null);
    assertNull(s.key(), "the responder keeps no key");
    byte[] env = envelope(s, "the answer".getBytes(StandardCharsets.UTF_8));
    assertEquals(143, s.header().length);
    OpenedStream o = ClientEnvelope.open(ID, Credential.key(asker.privateKey()), new ByteArrayInputStream(env));
    assertEquals("a.txt", o.filename());
    assertEquals("the answer", read(o));
    // the reference decoder of docs/format.md, with the independent HPKE, opens it too (plaintext prefix, content)
    String plain = new String(FormatVectorsTest.referenceDecode(ID, env, asker.privateKey()), StandardCharsets.UTF_8);
    assertTrue(plain.endsWith("a.txtthe answer") || plain.endsWith("the answer"), plain);
    ClientEnvelope.RecipientKeys other = ClientEnvelope.RecipientKeys.generate();
    assertThrows(IntegrityException.class, () -> ClientEnvelope.open(ID, Credential.key(other.privateKey()),
        new ByteArrayInputStream(env)), "another private key");
    assertThrows(IntegrityException.class, () -> ClientEnvelope.open("AAAAAAAAAAAAAAAAAAAAAg",
        Credential.key(asker.privateKey()), new ByteArrayInputStream(env)), "another secret's id");
    assertThrows(InvalidArgumentException.class, () -> ClientEnvelope.open(ID, Credential.passphrase("x"),
        new ByteArrayInputStream(env)));
  }

  @Test
  void theProofFromThePrivateKeyIsTheCommitmentAndTheServerOpensByIt() throws Exception {
    OneTimeShare ots = OneTimeShare.builder().build();
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    SecretRequest req = ots.request(asker.publicKey(), null);
    UploadTicket t = ots.answerRequest(req.id(), req.answerToken(), 65536);
    ClientEnvelope.Sealing s = ClientEnvelope.sealTo(t.id(), t.segmentSize(), asker.publicKey(), SecretKind.TEXT,
        null, null);
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    try (OutputStream out = s.open(segments)) {
      out.write("sealed by the responder".getBytes(StandardCharsets.UTF_8));
    }
    ots.appendSegments(t.id(), t.deleteToken(), 0, new ByteArrayInputStream(segments.toByteArray()));
    ots.finishUpload(t.id(), t.deleteToken(), s.header());
    SecretInfo info = ots.peek(t.id()).orElseThrow();
    assertTrue(!info.passphraseRequired());
    assertThrows(IntegrityException.class, () -> ClientEnvelope.proof(t.id(), info.proofContext(),
        Credential.key(ClientEnvelope.RecipientKeys.generate().privateKey())), "another private key has no proof");
    assertThrows(WrongCredentialException.class, () -> ots.openSealed(t.id(), new byte[32]));
    byte[] proof = ClientEnvelope.proof(t.id(), info.proofContext(), Credential.key(asker.privateKey()));
    try (SealedSecret sealed = ots.openSealed(t.id(), proof)) {
      OpenedStream o = ClientEnvelope.open(t.id(), Credential.key(asker.privateKey()), sealed.envelope());
      assertEquals("sealed by the responder", read(o));
    }
    assertThrows(SecretNotFoundException.class, () -> ots.openSealed(t.id(), proof), "once");
  }

  @Test
  void everyTamperingFails() throws Exception {
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    byte[] env = envelope(ClientEnvelope.sealTo(ID, 65536, asker.publicKey(), SecretKind.TEXT, null, null),
        "x".getBytes(StandardCharsets.UTF_8));
    for (int at : new int[] {11, 13, 15, 16, 47, 48, 95, 96, 102, 103, 134}) {
      byte[] bad = env.clone();
      bad[at] ^= 1;
      fixChecksum(bad);
      assertThrows(OneTimeShareException.class, () -> ClientEnvelope.open(ID, Credential.key(asker.privateKey()),
          new ByteArrayInputStream(bad)), "byte " + at);
    }
  }

  private static void fixChecksum(byte[] env) throws Exception {
    byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(env, 135));
    System.arraycopy(sum, 0, env, 135, 8);
  }

  @Test
  void anUnknownSuiteIsRefusedBeforeAnyKeyIsUsed() throws Exception {
    ClientEnvelope.RecipientKeys asker = ClientEnvelope.RecipientKeys.generate();
    byte[] env = envelope(ClientEnvelope.sealTo(ID, 65536, asker.publicKey(), SecretKind.TEXT, null, null),
        "x".getBytes(StandardCharsets.UTF_8));
    env[11] = 0x10; // KEM 0x0010: DHKEM(P-256)
    fixChecksum(env);
    byte[] bad = env;
    assertThrows(UnsupportedEnvelopeException.class, () -> ClientEnvelope.open(ID, Credential.key(
        asker.privateKey()), new ByteArrayInputStream(bad)));
  }

  @Test
  void thePublishedVectorsAreWhatTheLibraryMakesAndWhatTheReferenceDecoderOpens() throws Exception {
    JsonNode file;
    try (InputStream in = getClass().getResourceAsStream("/vectors/envelope-v1-public-key.json")) {
      file = new ObjectMapper().readTree(in);
    }
    for (JsonNode v : file.get("vectors")) {
      byte[] skR = HEX.parseHex(v.get("recipient_private_key_hex").asText());
      assertArrayEquals(HEX.parseHex(v.get("recipient_public_key_hex").asText()), RfcHpke.publicOf(skR));
      Sealer.Prepared p = Sealer.prepareToPublicKey(v.get("id").asText(), HEX.parseHex(v.get("key_hex").asText()),
          RfcHpke.publicOf(skR), HEX.parseHex(v.get("ephemeral_private_key_hex").asText()),
          HEX.parseHex(v.get("nonce_prefix_hex").asText()), v.get("segment_size").asInt(), new SecureRandom());
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      assertArrayEquals(java.util.Arrays.copyOf(env, p.headerBytes().length), p.headerBytes(), v.get("name").asText());
      assertArrayEquals(HEX.parseHex(v.get("plaintext_hex").asText()),
          FormatVectorsTest.referenceDecode(v.get("id").asText(), env, skR), v.get("name").asText());
      assertEquals(v.get("content_hex").asText(), HEX.formatHex(ClientEnvelope.open(v.get("id").asText(),
          Credential.key(skR), new ByteArrayInputStream(env)).content().readAllBytes()));
    }
  }

  /** Writes the vectors (run by hand: the format is frozen once published). */
  public static void main(String[] args) throws Exception {
    byte[] skR = HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    byte[] skE = HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
    com.fasterxml.jackson.databind.node.ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("format", "OneTimeShare envelope v1, mode 3 (docs/format.md); keys from RFC 9180 A.1.1");
    com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("vectors");
    String[][] cases = {{"text to a public key", "AAAAAAAAAAAAAAAAAAAAAQ", "text", "", "68656c6c6f2c2061736b6572"},
        {"file to a public key, two segments", "BBBBBBBBBBBBBBBBBBBBBQ", "file", "answer.txt",
            HEX.formatHex(new byte[40])}};
    for (String[] c : cases) {
      byte[] master = new byte[32];
      for (int i = 0; i < 32; i++) {
        master[i] = (byte) (0x40 + i);
      }
      byte[] prefix = HEX.parseHex("b0b1b2b3b4b5b6");
      int seg = c[2].equals("file") ? 32 : 65536;
      Sealer.Prepared p = Sealer.prepareToPublicKey(c[1], master.clone(), RfcHpke.publicOf(skR), skE, prefix, seg,
          new SecureRandom());
      byte[] plain = new io.onetimeshare.internal.PlaintextPrefix(c[2].equals("file") ? SecretKind.FILE
          : SecretKind.TEXT, c[3].isEmpty() ? null : c[3], null).encode();
      byte[] content = HEX.parseHex(c[4]);
      ByteArrayOutputStream segments = new ByteArrayOutputStream();
      Sealer sealer = new Sealer(io.onetimeshare.internal.JdkAesGcm.INSTANCE, new io.onetimeshare.internal.KdfGate(1,
          1 << 20, 1, java.time.Duration.ofSeconds(1), io.onetimeshare.spi.ShareEvents.NONE),
          io.onetimeshare.crypto.Argon2idParameters.ofDefaults(), io.onetimeshare.crypto.Argon2idParameters
          .defaultCeiling(), seg, new SecureRandom());
      try (OutputStream out = sealer.sealing(c[1], p, segments)) {
        out.write(plain);
        out.write(content);
      }
      com.fasterxml.jackson.databind.node.ObjectNode v = list.addObject();
      v.put("name", c[0]).put("mode", "public-key").put("id", c[1]).put("key_hex", HEX.formatHex(master))
          .put("recipient_private_key_hex", HEX.formatHex(skR))
          .put("recipient_public_key_hex", HEX.formatHex(RfcHpke.publicOf(skR)))
          .put("ephemeral_private_key_hex", HEX.formatHex(skE)).put("nonce_prefix_hex", HEX.formatHex(prefix))
          .put("segment_size", seg).put("content_hex", c[4])
          .put("plaintext_hex", HEX.formatHex(concat(plain, content)))
          .put("envelope_hex", HEX.formatHex(concat(p.headerBytes(), segments.toByteArray())));
    }
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
