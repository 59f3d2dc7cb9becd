package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, finding 6: the one sanitiser for names a sender chose, against the shared cases in
 * {@code vectors/filenames.json} (the page's {@code names.js} is checked against the same file in the browser test).
 */
class FileNamesTest {

  @Test
  void everySharedCase() throws Exception {
    JsonNode cases;
    try (InputStream in = FileNamesTest.class.getResourceAsStream("/vectors/filenames.json")) {
      cases = new ObjectMapper().readTree(in);
    }
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String raw = c.get("raw").asText();
      String expected = c.get("safe").isNull() ? null : c.get("safe").asText();
      String got = FileNames.safe(raw);
      if (!java.util.Objects.equals(expected, got)) {
        failures.add(c.get("why").asText() + ": expected " + expected + ", got " + got);
      }
      if (got != null) {
        assertTrue(got.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, c.get("why").asText());
        assertTrue(FileNames.isSafe(got), "idempotent: " + c.get("why").asText());
      }
    }
    assertTrue(cases.size() >= 20);
    assertEquals(List.of(), failures);
  }
}
