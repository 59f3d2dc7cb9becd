package io.onetimeshare.examples.hostapp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HostAppTest {
  @Test
  void sharesOpensOnceAndHandlesPassphrases() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    HostApp.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("opened once: the launch code is 0000"), out);
    assertTrue(out.contains("opened twice: No secret with this id is available"), out);
    assertTrue(out.contains("wrong passphrase: The key or passphrase is wrong; 4 attempt(s) left"), out);
    assertTrue(out.contains("right passphrase: vault PIN 1234"), out);
  }
}
