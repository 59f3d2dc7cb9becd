package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.PlaintextPrefix;
import io.onetimeshare.internal.Sealer;
import io.onetimeshare.internal.JdkAesGcm;
import io.onetimeshare.internal.KdfGate;
import io.onetimeshare.memory.InMemorySecretVault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/**
 * Checks the implementation against {@code vectors/envelope-v1.json}, and checks that a decoder written only from
 * {@code docs/format.md} (below, {@link #referenceDecode}) opens every vector. Regenerate (only when the format version
 * changes): {@code mvn -pl onetimeshare-core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.onetimeshare.FormatVectorsTest -Dexec.args=src/test/resources/vectors/envelope-v1.json}.
 */
public class FormatVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The library's vectors and those sealed by the web page's envelope.js (envelope-v1-browser.json, made by
   * onetimeshare-servlet/src/test/js/make-browser-vectors.mjs): every check below runs on both, so the page, the
   * library and the reference decoder agree byte for byte.
   */
  private static java.util.List<JsonNode> vectors() throws IOException {
    java.util.List<JsonNode> all = new java.util.ArrayList<>();
    for (String file : new String[] {"/vectors/envelope-v1.json", "/vectors/envelope-v1-browser.json"}) {
      try (InputStream in = FormatVectorsTest.class.getResourceAsStream(file)) {
        JSON.readTree(in).get("vectors").forEach(all::add);
      }
    }
    return all;
  }

  @Test
  void browserMadeVectorsAreThere() throws IOException {
    assertEquals(2, vectors().stream().filter(v -> v.get("name").asText().startsWith("page: ")).count());
  }

  /** Seals one vector's inputs deterministically: returns the whole envelope (header || segments). */
  static byte[] seal(JsonNode v) throws IOException {
    String id = v.get("id").asText();
    int segment = v.get("segment_size").asInt();
    byte[] prefix = HEX.parseHex(v.get("nonce_prefix_hex").asText());
    byte[] master;
    Sealer.Prepared p;
    if (v.get("mode").asText().equals("passphrase")) {
      JsonNode k = v.get("argon2id");
      Argon2idParameters params = new Argon2idParameters(k.get("m_kib").asInt(), k.get("t").asInt(), k.get("p").asInt());
      byte[] salt = HEX.parseHex(v.get("salt_hex").asText());
      master = io.onetimeshare.internal.Argon2id.derive(
          v.get("passphrase").asText().getBytes(StandardCharsets.UTF_8), salt, params);
      p = Sealer.prepare(id, EnvelopeHeader.Mode.PASSPHRASE, master, params, salt, prefix, segment);
    } else {
      master = HEX.parseHex(v.get("key_hex").asText());
      p = Sealer.prepare(id, EnvelopeHeader.Mode.RANDOM_KEY, master, null, new byte[0], prefix, segment);
    }
    Sealer sealer = new Sealer(JdkAesGcm.INSTANCE, new KdfGate(1, 1 << 20, 0, Duration.ZERO), Argon2idParameters.ofDefaults(),
        Argon2idParameters.defaultCeiling(), segment, new SecureRandom());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(p.headerBytes());
    try (OutputStream s = sealer.sealing(id, p, out)) {
      SecretKind kind = v.get("kind").asText().equals("text") ? SecretKind.TEXT : SecretKind.FILE;
      s.write(new PlaintextPrefix(kind, text(v, "filename"), text(v, "content_type")).encode());
      s.write(HEX.parseHex(v.get("content_hex").asText()));
    }
    return out.toByteArray();
  }

  private static String text(JsonNode v, String field) {
    return v.hasNonNull(field) ? v.get(field).asText() : null;
  }

  @Test
  void implementationProducesTheVectors() throws IOException {
    for (JsonNode v : vectors()) {
      assertEquals(v.get("envelope_hex").asText(), HEX.formatHex(seal(v)), v.get("name").asText());
    }
  }

  @Test
  void libraryOpensTheVectors() throws IOException {
    for (JsonNode v : vectors()) {
      InMemorySecretVault vault = InMemorySecretVault.builder().build();
      OneTimeShare ots = OneTimeShare.builder().vault(vault).build();
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      byte[] header = EnvelopeHeader.readHeaderBytes(new java.io.ByteArrayInputStream(env));
      String id = v.get("id").asText();
      vault.put(new SecretRecord(id, Instant.now().plusSeconds(60), header, new byte[32], 5),
          out -> out.write(env, header.length, env.length - header.length));
      Credential c = v.get("mode").asText().equals("passphrase")
          ? Credential.passphrase(v.get("passphrase").asText())
          : Credential.key(HEX.parseHex(v.get("key_hex").asText()));
      OpenedSecret s = ots.open(id, c);
      assertArrayEquals(HEX.parseHex(v.get("content_hex").asText()), s.content(), v.get("name").asText());
      assertEquals(text(v, "filename"), s.filename());
    }
  }

  @Test
  void referenceDecoderFromTheSpecOpensTheVectors() throws Exception {
    for (JsonNode v : vectors()) {
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      byte[] secret = v.get("mode").asText().equals("passphrase")
          ? v.get("passphrase").asText().getBytes(StandardCharsets.UTF_8)
          : HEX.parseHex(v.get("key_hex").asText());
      byte[] plain = referenceDecode(v.get("id").asText(), env, secret);
      byte[] content = HEX.parseHex(v.get("content_hex").asText());
      assertArrayEquals(content, Arrays.copyOfRange(plain, plain.length - content.length, plain.length));
      assertEquals(HEX.formatHex(plain), v.get("plaintext_hex").asText());
    }
  }

  @Test
  void unknownVersionsAndCostlyParametersAreRefused() throws IOException {
    for (JsonNode v : vectors()) {
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      byte[] header = EnvelopeHeader.readHeaderBytes(new java.io.ByteArrayInputStream(env));
      byte[] v2 = header.clone();
      v2[4] = 2;
      UnsupportedEnvelopeException e = assertThrows(UnsupportedEnvelopeException.class,
          () -> EnvelopeHeader.parse(v2, Argon2idParameters.defaultCeiling()));
      assertEquals("The envelope has format version 2; this library reads version 1 only.", e.getMessage());
      assertThrows(IntegrityException.class,
          () -> EnvelopeHeader.parse(Arrays.copyOf(header, header.length - 1), Argon2idParameters.defaultCeiling()));
      assertThrows(IntegrityException.class,
          () -> EnvelopeHeader.readHeaderBytes(new java.io.ByteArrayInputStream(Arrays.copyOf(env, 9))));
      if (v.get("mode").asText().equals("passphrase")) {
        UnsupportedEnvelopeException c = assertThrows(UnsupportedEnvelopeException.class,
            () -> EnvelopeHeader.parse(header, new Argon2idParameters(32, 1, 1)));
        assertFalse(c.getMessage().contains(v.get("passphrase").asText()));
      }
    }
  }

  /** A decoder written from docs/format.md alone: JCA AES-GCM and HMAC, BouncyCastle only for Argon2id. */
  static byte[] referenceDecode(String id, byte[] env, byte[] secret) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(env);
    byte[] magic = new byte[4];
    in.get(magic);
    if (!Arrays.equals(magic, "OTSE".getBytes(StandardCharsets.US_ASCII)) || in.get() != 1) {
      throw new IllegalArgumentException("not v1");
    }
    int mode = in.get();
    int segment = in.getInt();
    if (mode != 1 && mode != 2 && mode != 3) {
      throw new IllegalArgumentException("mode");
    }
    if (segment < 16 || segment > 8 * 1024 * 1024) {
      throw new IllegalArgumentException("segment size");
    }
    byte[] master;
    if (mode == 2) {
      if (in.get() != 1) {
        throw new IllegalArgumentException("kdf");
      }
      int m = in.getInt();
      int t = in.getInt();
      int p = in.get() & 0xff;
      if (t < 1 || p < 1 || (long) m < 8L * p) {
        throw new IllegalArgumentException("Argon2id parameters below RFC 9106's minimum");
      }
      byte[] salt = new byte[in.get() & 0xff];
      in.get(salt);
      Argon2BytesGenerator g = new Argon2BytesGenerator();
      g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(0x13).withMemoryAsKB(m)
          .withIterations(t).withParallelism(p).withSalt(salt).build());
      master = new byte[32];
      g.generateBytes(secret, master);
    } else if (mode == 3) {
      // docs/format.md, "Mode 3": HPKE base mode, X25519 / HKDF-SHA256 / AES-256-GCM; secret is the private key
      if (in.getShort() != 0x20 || in.getShort() != 1 || in.getShort() != 2) {
        throw new IllegalArgumentException("HPKE suite");
      }
      byte[] enc = new byte[32];
      in.get(enc);
      byte[] wrapped = new byte[48];
      in.get(wrapped);
      byte[] idb = id.getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream info = new ByteArrayOutputStream();
      info.write("onetimeshare/v1/key-to-public-key".getBytes(StandardCharsets.US_ASCII));
      info.write(idb.length);
      info.write(idb);
      RfcHpke hpke = new RfcHpke(2);
      master = RfcHpke.open(hpke.receiver(secret, enc, info.toByteArray()), Arrays.copyOf(env, 16), wrapped);
    } else {
      master = secret;
    }
    byte[] noncePrefix = new byte[7];
    in.get(noncePrefix);
    int beforeCommit = in.position();
    byte[] commitment = new byte[32];
    in.get(commitment);
    byte[] checksum = new byte[8];
    in.get(checksum);
    int headerLen = in.position();
    byte[] header = Arrays.copyOf(env, headerLen);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(env, headerLen - 8));
    if (!Arrays.equals(Arrays.copyOf(digest, 8), checksum)) {
      throw new IllegalArgumentException("checksum");
    }
    byte[] idb = id.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream cm = new ByteArrayOutputStream();
    cm.write("onetimeshare/v1/commitment".getBytes(StandardCharsets.US_ASCII));
    cm.write(0);
    cm.write(idb.length);
    cm.write(idb);
    cm.write(env, 0, beforeCommit);
    if (!MessageDigest.isEqual(hmac(master, cm.toByteArray()), commitment)) {
      throw new IllegalArgumentException("wrong key");
    }
    byte[] encKey = hmac(master, "onetimeshare/v1/encryption".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream aad = new ByteArrayOutputStream();
    aad.write(idb.length);
    aad.write(idb);
    aad.write(header);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    int pos = headerLen;
    for (int i = 0; pos < env.length; i++) {
      int len = Math.min(segment + 16, env.length - pos);
      boolean last = pos + len == env.length;
      if (len <= 16) {
        throw new IllegalArgumentException("empty or truncated segment");
      }
      byte[] nonce = ByteBuffer.allocate(12).put(noncePrefix).putInt(i).put((byte) (last ? 1 : 0)).array();
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad.toByteArray());
      plain.write(c.doFinal(env, pos, len));
      pos += len;
    }
    // the plaintext: kind, u16 filename length + UTF-8, u16 content type length + UTF-8, then 1 or more bytes
    ByteBuffer pt = ByteBuffer.wrap(plain.toByteArray());
    int kind = pt.get();
    if (kind != 1 && kind != 2) {
      throw new IllegalArgumentException("kind");
    }
    for (int f = 0; f < 2; f++) {
      byte[] label = new byte[pt.getShort() & 0xffff];
      pt.get(label);
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(label)); // throws on invalid UTF-8
    }
    if (!pt.hasRemaining()) {
      throw new IllegalArgumentException("empty content");
    }
    return plain.toByteArray();
  }

  private static byte[] hmac(byte[] key, byte[] msg) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(msg);
  }

  /** Writes the vector file (inputs are fixed below; outputs computed). */
  public static void main(String[] args) throws Exception {
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = om.createObjectNode();
    root.put("format", "OneTimeShare envelope v1, see docs/format.md");
    ArrayNode list = root.putArray("vectors");
    list.add(vector(om, "random-key text", "random", "AAAAAAAAAAAAAAAAAAAAAA", 65536, "text", null,
        "text/plain; charset=utf-8", "hello, world".getBytes(StandardCharsets.UTF_8), null, null));
    list.add(vector(om, "random-key file over several 16-byte segments", "random", "ZmlsZS1zZWNyZXQtaWQtMQ",
        16, "file", "report ä.pdf", "application/pdf", seq(100), null, null));
    list.add(vector(om, "random-key plaintext an exact multiple of the segment size", "random",
        "bXVsdGlwbGUtb2Ytc2VnbQ", 16, "file", null, null, seq(43), null, null));
    list.add(vector(om, "passphrase, small Argon2id", "passphrase", "cGFzc3BocmFzZS1zbWFsbA", 32, "text", null, null,
        "open sesame".getBytes(StandardCharsets.UTF_8), "correct horse battery staple",
        new Argon2idParameters(64, 1, 1)));
    list.add(vector(om, "passphrase, default Argon2id (RFC 9106 m=64MiB t=3 p=4)", "passphrase",
        "cGFzc3BocmFzZS1kZWZhdW", 65536, "text", null, null, "ünïcødé ✓".getBytes(StandardCharsets.UTF_8),
        "pässwörd", Argon2idParameters.ofDefaults()));
    Files.writeString(Path.of(args[0]), om.writeValueAsString(root) + "\n");
  }

  private static byte[] seq(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static ObjectNode vector(ObjectMapper om, String name, String mode, String id, int segment, String kind,
      String filename, String contentType, byte[] content, String passphrase, Argon2idParameters params)
      throws Exception {
    ObjectNode v = om.createObjectNode();
    v.put("name", name);
    v.put("mode", mode);
    v.put("id", id);
    if (mode.equals("random")) {
      v.put("key_hex", HEX.formatHex(seq(32)));
    } else {
      v.put("passphrase", passphrase);
      ObjectNode k = v.putObject("argon2id");
      k.put("m_kib", params.memoryKiB());
      k.put("t", params.iterations());
      k.put("p", params.parallelism());
      v.put("salt_hex", "000102030405060708090a0b0c0d0e0f");
    }
    v.put("nonce_prefix_hex", "a0a1a2a3a4a5a6");
    v.put("segment_size", segment);
    v.put("kind", kind);
    v.put("filename", filename);
    v.put("content_type", contentType);
    v.put("content_hex", HEX.formatHex(content));
    byte[] env = seal(v);
    byte[] secret = mode.equals("random") ? seq(32) : passphrase.getBytes(StandardCharsets.UTF_8);
    v.put("plaintext_hex", HEX.formatHex(referenceDecode(id, env, secret)));
    v.put("envelope_hex", HEX.formatHex(env));
    return v;
  }
}
