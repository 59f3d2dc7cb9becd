package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.JdkAesGcm;
import io.onetimeshare.internal.KdfGate;
import io.onetimeshare.internal.Sealer;
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
import org.junit.jupiter.api.Test;

/**
 * Negative vectors ({@code vectors/envelope-v1-negative.json}): envelopes a reader must refuse, each with the reason.
 * Several authenticate correctly (a writer bug or a hostile client-side sealer could make them), so only a reader
 * as strict as docs/format.md refuses them. Both the library and the reference decoder written from the spec must
 * refuse every one. Regenerate with {@code main}.
 */
class NegativeVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ID = "TmVnYXRpdmVWZWN0b3JzMQ"; // 22 characters, like every id
  static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final byte[] NONCE_PREFIX = HEX.parseHex("b0b1b2b3b4b5b6");

  private static JsonNode vectors() throws IOException {
    try (InputStream in = NegativeVectorsTest.class.getResourceAsStream("/vectors/envelope-v1-negative.json")) {
      return JSON.readTree(in).get("vectors");
    }
  }

  @Test
  void libraryRefusesEveryNegativeVector() throws IOException {
    int n = 0;
    for (JsonNode v : vectors()) {
      InMemorySecretVault vault = InMemorySecretVault.builder().build();
      OneTimeShare ots = OneTimeShare.builder().vault(vault).build();
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      String name = v.get("name").asText();
      Throwable refused = assertThrows(Throwable.class, () -> {
        byte[] header = EnvelopeHeader.readHeaderBytes(new java.io.ByteArrayInputStream(env));
        vault.put(new SecretRecord(ID, Instant.now().plusSeconds(60), header, new byte[32], 5),
            out -> out.write(env, header.length, env.length - header.length));
        try (OpenedStream s = ots.openStream(ID, Credential.key(KEY))) {
          s.content().readAllBytes();
        }
      }, name + " must be refused");
      // refused by the envelope reader (integrity or format), not by anything before it
      assertTrue(refused instanceof IntegrityException, name + ": refused with " + refused);
      n++;
    }
    assertTrue(n >= 8, "vectors: " + n);
  }

  @Test
  void referenceDecoderFromTheSpecRefusesEveryNegativeVector() throws Exception {
    for (JsonNode v : vectors()) {
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      assertThrows(Exception.class, () -> FormatVectorsTest.referenceDecode(ID, env, KEY), v.get("name").asText());
    }
  }

  @Test
  void theFileIsWhatTheGeneratorMakes() throws Exception {
    assertEquals(JSON.readTree(generate()).get("vectors"), vectors(),
        "regenerate vectors/envelope-v1-negative.json with NegativeVectorsTest.main");
  }

  // ---- the generator ----

  /** Seals {@code plaintext} as the library's writer would; {@code emptyFinal} adds a tag-only final segment. */
  static byte[] seal(int segment, byte[] plaintext, boolean emptyFinal) throws Exception {
    byte[] noncePrefix = NONCE_PREFIX.clone();
    noncePrefix[6] += (byte) ++sealed; // never the same key and nonce twice, even in test data
    Sealer.Prepared p = Sealer.prepare(ID, EnvelopeHeader.Mode.RANDOM_KEY, KEY.clone(), null, new byte[0],
        noncePrefix, segment);
    Sealer sealer = new Sealer(JdkAesGcm.INSTANCE, new KdfGate(1, 1 << 20, 0, Duration.ZERO), Argon2idParameters.ofDefaults(),
        Argon2idParameters.defaultCeiling(), segment, new SecureRandom());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(p.headerBytes());
    OutputStream s = sealer.sealing(ID, p, out);
    s.write(plaintext);
    if (emptyFinal) { // what no writer does: seal the pending full segment as non-final, then an empty final one
      java.lang.reflect.Method flush = s.getClass().getDeclaredMethod("flushSegment", boolean.class);
      flush.setAccessible(true);
      flush.invoke(s, false);
    }
    s.close();
    return out.toByteArray();
  }

  private static byte[] prefix(int kind, byte[] filename, byte[] contentType) {
    ByteBuffer b = ByteBuffer.allocate(5 + filename.length + contentType.length);
    b.put((byte) kind).putShort((short) filename.length).put(filename).putShort((short) contentType.length)
        .put(contentType);
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  /** A header with a field patched and its checksum recomputed, so only the patched value is wrong. */
  private static byte[] patchHeader(byte[] env, int headerLen, int offset, byte[] value) throws Exception {
    byte[] e = env.clone();
    System.arraycopy(value, 0, e, offset, value.length);
    byte[] sum = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(e, headerLen - 8));
    System.arraycopy(sum, 0, e, headerLen - 8, 8);
    return e;
  }

  private static int sealed;

  static synchronized String generate() throws Exception {
    sealed = 0;
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = om.createObjectNode();
    root.put("format", "OneTimeShare envelope v1, negative vectors: every one must be refused (see docs/format.md)");
    root.put("id", ID);
    root.put("key_hex", HEX.formatHex(KEY));
    ArrayNode list = root.putArray("vectors");
    byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] textPrefix = prefix(1, new byte[0], new byte[0]);
    byte[] good = seal(16, concat(textPrefix, text), false);
    int headerLen = EnvelopeHeader.readHeaderBytes(new java.io.ByteArrayInputStream(good)).length;

    add(list, "empty final segment", "a final segment with no plaintext (only its tag) authenticates, but writers "
        + "never produce one: a reader refuses any segment of exactly 16 bytes",
        seal(16, concat(textPrefix, "0123456789a".getBytes(StandardCharsets.US_ASCII)), true));
    add(list, "empty content", "the plaintext ends right after the metadata prefix: the content length is 0, "
        + "and the format requires at least one byte", seal(16, textPrefix, false));
    add(list, "filename not UTF-8", "the sealed filename is not valid UTF-8 (a reader must not replace it with "
        + "U+FFFD)", seal(16, concat(prefix(2, new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[0]), text), false));
    add(list, "content type not UTF-8", "the sealed content type is not valid UTF-8",
        seal(16, concat(prefix(2, new byte[0], new byte[] {(byte) 0xc3, (byte) 0x28}), text), false));
    add(list, "unknown kind", "the metadata's kind byte is neither 01 (text) nor 02 (file)",
        seal(16, concat(prefix(3, new byte[0], new byte[0]), text), false));
    add(list, "truncated final segment", "the last byte of the final segment's tag is missing",
        Arrays.copyOf(good, good.length - 1));
    add(list, "appended byte", "a byte after the final segment", concat(good, new byte[] {0}));
    add(list, "final segment dropped", "the envelope ends after a non-final segment",
        Arrays.copyOf(good, headerLen + 32));
    add(list, "unknown version", "version byte 02", patchHeader(good, headerLen, 4, new byte[] {2}));
    add(list, "segment size below minimum", "segment size 15, below the minimum of 16",
        patchHeader(good, headerLen, 6, new byte[] {0, 0, 0, 15}));
    add(list, "segment size above maximum", "segment size 8 MiB + 1",
        patchHeader(good, headerLen, 6, new byte[] {0, (byte) 0x80, 0, 1}));
    // a passphrase header with Argon2id m = 7 KiB for p = 1: below RFC 9106's m >= 8p, refused before deriving
    Sealer.Prepared pp = Sealer.prepare(ID, EnvelopeHeader.Mode.PASSPHRASE, KEY.clone(),
        new Argon2idParameters(64, 1, 1), new byte[16], NONCE_PREFIX, 16);
    byte[] ph = pp.headerBytes();
    add(list, "Argon2id memory below 8p", "Argon2id m = 7 KiB with p = 1 (RFC 9106 requires m >= 8p)",
        patchHeader(concat(ph, Arrays.copyOfRange(good, headerLen, good.length)), ph.length, 11,
            new byte[] {0, 0, 0, 7}));
    add(list, "Argon2id zero iterations", "Argon2id t = 0 (RFC 9106 requires t >= 1)",
        patchHeader(concat(ph, Arrays.copyOfRange(good, headerLen, good.length)), ph.length, 15,
            new byte[] {0, 0, 0, 0}));
    return om.writeValueAsString(root) + "\n";
  }

  private static void add(ArrayNode list, String name, String reason, byte[] envelope) {
    list.addObject().put("name", name).put("reason", reason).put("envelope_hex", HEX.formatHex(envelope));
  }

  /** Writes the negative vector file: {@code args[0]} is its path. */
  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), generate());
  }
}
