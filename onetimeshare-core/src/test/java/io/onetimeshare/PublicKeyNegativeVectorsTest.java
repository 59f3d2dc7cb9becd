package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Mode-3 negative vectors ({@code vectors/envelope-v1-public-key-negative.json}, issue 36 finding 14): envelopes
 * sealed to a public key that a reader must refuse, each with the reason. Each is the published text vector of
 * {@code envelope-v1-public-key.json} with one thing wrong, its header checksum recomputed where a header field was
 * changed, so only that one thing is wrong. The library and the reference decoder written from docs/format.md refuse
 * every one with the vector's private key, and open the unchanged envelope. Regenerate with {@code main}.
 */
class PublicKeyNegativeVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode file(String name) throws IOException {
    try (InputStream in = PublicKeyNegativeVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void theLibraryAndTheReferenceDecoderRefuseEveryOne() throws Exception {
    JsonNode root = file("envelope-v1-public-key-negative.json");
    byte[] skR = HEX.parseHex(root.get("recipient_private_key_hex").asText());
    String base = root.get("id").asText();
    byte[] good = HEX.parseHex(file("envelope-v1-public-key.json").get("vectors").get(0).get("envelope_hex").asText());
    assertTrue(ClientEnvelope.open(base, Credential.key(skR), new ByteArrayInputStream(good)).content()
        .readAllBytes().length > 0, "the unchanged envelope opens: each refusal below is its one change's");
    int n = 0;
    for (JsonNode v : root.get("vectors")) {
      String id = v.has("id") ? v.get("id").asText() : base;
      byte[] env = HEX.parseHex(v.get("envelope_hex").asText());
      String name = v.get("name").asText();
      assertThrows(Exception.class, () -> ClientEnvelope.open(id, Credential.key(skR), new ByteArrayInputStream(env))
          .content().readAllBytes(), name + ": the library");
      assertThrows(Exception.class, () -> FormatVectorsTest.referenceDecode(id, env, skR), name
          + ": the reference decoder");
      n++;
    }
    assertTrue(n >= 9, "vectors: " + n);
  }

  @Test
  void theFileIsWhatTheGeneratorMakes() throws Exception {
    assertEquals(JSON.readTree(generate()), file("envelope-v1-public-key-negative.json"),
        "regenerate vectors/envelope-v1-public-key-negative.json with PublicKeyNegativeVectorsTest.main");
  }

  // ---- the generator ----

  private static final int HEADER = 143;

  /** {@code env} with {@code value} at {@code offset}, and the header's checksum made right again. */
  private static byte[] patch(byte[] env, int offset, byte[] value) throws Exception {
    byte[] e = env.clone();
    System.arraycopy(value, 0, e, offset, value.length);
    byte[] sum = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(e, HEADER - 8));
    System.arraycopy(sum, 0, e, HEADER - 8, 8);
    return e;
  }

  private static byte[] flip(byte[] env, int offset) throws Exception {
    return patch(env, offset, new byte[] {(byte) (env[offset] ^ 0x01)});
  }

  static String generate() throws Exception {
    JsonNode positive = file("envelope-v1-public-key.json").get("vectors").get(0);
    byte[] good = HEX.parseHex(positive.get("envelope_hex").asText());
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = om.createObjectNode();
    root.put("format", "OneTimeShare envelope v1, mode 3 (to a public key), negative vectors: each must be refused "
        + "(docs/format.md). Each is the text vector of envelope-v1-public-key.json with one change");
    root.put("id", positive.get("id").asText());
    root.put("recipient_private_key_hex", positive.get("recipient_private_key_hex").asText());
    ArrayNode list = root.putArray("vectors");
    add(list, "unsupported KEM", "kem_id 00 21 (DHKEM(X448)): only 00 20 is defined", patch(good, 10,
        new byte[] {0, 0x21}));
    add(list, "unsupported KDF", "kdf_id 00 02 (HKDF-SHA384): only 00 01 is defined", patch(good, 12,
        new byte[] {0, 2}));
    add(list, "unsupported AEAD", "aead_id 00 01 (AES-128-GCM): only 00 02 is defined", patch(good, 14,
        new byte[] {0, 1}));
    add(list, "enc changed", "one bit of the encapsulated key: HPKE's Open fails", flip(good, 47));
    add(list, "enc of small order", "enc is the all-zero point: the shared secret would be all zero, which RFC 9180 "
        + "7.1.4 requires a recipient to refuse", patch(good, 16, new byte[32]));
    add(list, "wrapped key changed", "one bit of the wrapped master key: HPKE's tag fails", flip(good, 60));
    add(list, "commitment changed", "one bit of the key commitment: it no longer matches the unwrapped key",
        flip(good, 110));
    byte[] badSum = good.clone();
    badSum[HEADER - 1] ^= 0x01;
    add(list, "header checksum wrong", "the header's checksum does not match its bytes", badSum);
    ObjectNode moved = add(list, "moved to another id", "the same envelope presented as another secret's: HPKE's "
        + "info binds the id, so the wrapped key does not open", good);
    moved.put("id", "BBBBBBBBBBBBBBBBBBBBBQ");
    add(list, "truncated", "the final segment's last byte is missing", Arrays.copyOf(good, good.length - 1));
    return om.writeValueAsString(root) + "\n";
  }

  private static ObjectNode add(ArrayNode list, String name, String reason, byte[] envelope) {
    return list.addObject().put("name", name).put("reason", reason).put("envelope_hex", HEX.formatHex(envelope));
  }

  /** Writes the file: {@code args[0]} is its path. */
  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), generate());
  }
}
