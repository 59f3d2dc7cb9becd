package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void pathsAreReducedToABareName() {
    assertEquals("passwd", Names.safeFilename("../../etc/passwd"));
    assertEquals("evil.txt", Names.safeFilename("..\\..\\windows\\evil.txt"));
    assertEquals("htaccess", Names.safeFilename(".htaccess"));
    assertNull(Names.safeFilename("../"));
    assertNull(Names.safeFilename("..."));
  }

  @Test
  void bidiAndControlCharactersAreRemoved() {
    assertEquals("invoicefdp.exe", Names.safeFilename("invoice\u202efdp.exe"), "right-to-left override");
    assertEquals("ab.txt", Names.safeFilename("a\u2066b\u2069.txt"));
    assertEquals("ab.txt", Names.safeFilename("a\u0000\u001b\u0085b.txt"));
    assertEquals("ab.txt", Names.safeFilename("a\u200bb.txt"), "zero-width space");
    assertEquals("clé € 🙂.txt", Names.safeFilename("clé € 🙂.txt"), "ordinary non-ASCII stays");
  }

  @Test
  void longNamesAreCutOnACharacterBoundary() {
    String n = Names.safeFilename("€".repeat(200));
    assertTrue(n.getBytes(StandardCharsets.UTF_8).length <= 255);
    assertEquals(85, n.length());
  }
}
