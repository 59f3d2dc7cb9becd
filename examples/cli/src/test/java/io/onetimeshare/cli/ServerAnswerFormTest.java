package io.onetimeshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Issue 36, finding 11: what {@code ots} prints from a server's answer (ids, tokens, signing secrets) is checked
 * against its documented form first; a hostile server's terminal escapes (OSC 52 writes the clipboard) or line breaks
 * never reach the terminal, not even in the error message.
 */
class ServerAnswerFormTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void documentedFormsPassAndAnythingElseIsRefusedUnprinted() throws Exception {
    var ok = JSON.readTree("{\"id\":\"AbCdEfGhIjKlMnOpQrSt_-\",\"deleteToken\":\"" + "a".repeat(43)
        + "\",\"notifySecret\":\"whsec_" + "A".repeat(43) + "=\"}");
    assertEquals("AbCdEfGhIjKlMnOpQrSt_-", Api.checked(ok, "id"));
    assertEquals("a".repeat(43), Api.checked(ok, "deleteToken"));
    assertEquals("whsec_" + "A".repeat(43) + "=", Api.checked(ok, "notifySecret"));
    for (String hostile : new String[] {"\u001b]52;c;aGk=\u0007AAAAAAAAAAAAAAA", "AbCdEfGhIjKlMnOpQrSt_-\nhttps://x",
        "AbCdEfGhIjKlMnOpQrSt_", "", "AbCdEfGhIjKlMnOpQrSt_-%"}) {
      var bad = JSON.createObjectNode().put("id", hostile).put("ownerToken", hostile);
      for (String field : new String[] {"id", "ownerToken"}) {
        CliException e = assertThrows(CliException.class, () -> Api.checked(bad, field));
        assertFalse(e.getMessage().contains("\u001b") || e.getMessage().contains("\n"), e.getMessage());
        assertFalse(!hostile.isEmpty() && e.getMessage().contains(hostile), "the server's text is not echoed");
      }
    }
  }
}
