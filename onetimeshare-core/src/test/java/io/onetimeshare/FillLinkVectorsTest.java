package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onetimeshare.internal.Bytes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The published fill-link vectors ({@code vectors/fill-link-v1.json}, docs/format.md "Fill links", issue 36 finding 1):
 * the fragment is the key's fingerprint, the answer token and the optional label; the library's fingerprint and the
 * token's hash are what the vectors say, and a reader written from the document takes every positive vector apart
 * and refuses every negative one (links from before answer tokens among them).
 */
class FillLinkVectorsTest {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** The reader of docs/format.md: {fingerprint, token, label or null}, or null for a fragment to refuse. */
  static String @Nullable [] read(String fragment) {
    String[] p = fragment.split("\\.", -1);
    if (p.length < 2 || p.length > 3 || !p[0].matches("[A-Za-z0-9_-]{22}") || !p[1].matches("[A-Za-z0-9_-]{43}")) {
      return null;
    }
    return new String[] {p[0], p[1], p.length == 3 && !p[2].isEmpty()
        ? new String(Base64.getUrlDecoder().decode(p[2]), StandardCharsets.UTF_8) : null};
  }

  @Test
  void theVectorsAreWhatTheLibraryMakesAndWhatAReaderOfTheDocumentReads() throws Exception {
    JsonNode file;
    try (InputStream in = getClass().getResourceAsStream("/vectors/fill-link-v1.json")) {
      file = new ObjectMapper().readTree(in);
    }
    HexFormat hex = HexFormat.of();
    int positive = 0;
    for (JsonNode v : file.get("vectors")) {
      byte[] pk = hex.parseHex(v.get("public_key_hex").asText());
      String fingerprint = B64.encodeToString(ClientEnvelope.fingerprint(pk));
      assertEquals(v.get("fingerprint").asText(), fingerprint, v.get("name").asText());
      String token = v.get("answer_token").asText();
      assertEquals(v.get("answer_token_sha256_hex").asText(), hex.formatHex(Bytes.sha256(
          Base64.getUrlDecoder().decode(token))), "what the store keeps");
      String label = v.has("label") ? v.get("label").asText() : null;
      String made = fingerprint + "." + token + (label == null ? "" : "." + B64.encodeToString(
          label.getBytes(StandardCharsets.UTF_8)));
      assertEquals(v.get("fragment").asText(), made, v.get("name").asText());
      String[] read = read(made);
      assertTrue(read != null && read[0].equals(fingerprint) && read[1].equals(token), v.get("name").asText());
      assertEquals(label, read[2]);
      positive++;
    }
    int negative = 0;
    for (JsonNode v : file.get("negative")) {
      assertNull(read(v.get("fragment").asText()), v.get("name").asText());
      negative++;
    }
    assertTrue(positive >= 3 && negative >= 4, positive + " / " + negative);
  }
}
