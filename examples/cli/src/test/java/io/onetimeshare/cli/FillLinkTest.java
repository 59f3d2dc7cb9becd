package io.onetimeshare.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code ots answer} reads fill links as the published vectors write them (issue 36, finding 1): every positive
 * vector's fingerprint, answer token and label come out, and every negative one (links from before answer tokens
 * among them) is refused before anything is sent, with exit code 2.
 */
class FillLinkTest {
  @Test
  void otsReadsThePublishedFillLinkVectors() throws Exception {
    JsonNode file = new ObjectMapper().readTree(Path.of("../../onetimeshare-core/src/test/resources/vectors/"
        + "fill-link-v1.json").toFile());
    String base = "https://share.example.com/x/";
    String id = "AbCdEfGhIjKlMnOpQrSt_-";
    for (JsonNode v : file.get("vectors")) {
      FillLink link = FillLink.parse(base + "a/" + id + "#" + v.get("fragment").asText());
      assertEquals(base, link.base().toString());
      assertEquals(id, link.id());
      assertArrayEquals(Base64.getUrlDecoder().decode(v.get("fingerprint").asText()), link.fingerprint());
      assertEquals(v.get("answer_token").asText(), link.answerToken());
      assertEquals(v.has("label") ? v.get("label").asText() : null, link.label(), v.get("name").asText());
    }
    for (JsonNode v : file.get("negative")) {
      CliException e = assertThrows(CliException.class, () -> FillLink.parse(base + "a/" + id + "#"
          + v.get("fragment").asText()), v.get("name").asText());
      assertEquals(Ots.USAGE, e.code, e.getMessage());
    }
  }
}
