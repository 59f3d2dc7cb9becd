package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.servlet.internal.MultipartReader;
import io.onetimeshare.servlet.internal.TrustedProxies;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartAndProxyTest {

  /** Delivers one byte per read, the worst case for boundary detection across reads. */
  static InputStream trickle(byte[] b) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] buf, int off, int len) {
        return super.read(buf, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void partsWithBoundaryLookalikesInContent() throws Exception {
    byte[] tricky = "a\r\n--bound\r\n--boun\r\n-- bound--".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write("preamble\r\n--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n"
        .getBytes(StandardCharsets.UTF_8));
    body.write(tricky);
    body.write("\r\n--boundary\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n600\r\n--boundary--\r\n"
        .getBytes(StandardCharsets.UTF_8));
    for (boolean slow : new boolean[] {false, true}) {
      InputStream in = slow ? trickle(body.toByteArray()) : new ByteArrayInputStream(body.toByteArray());
      MultipartReader r = new MultipartReader(in, "boundary");
      MultipartReader.Part p = r.next();
      assertEquals("file", p.name());
      assertEquals("x.bin", p.filename());
      assertArrayEquals(tricky, p.body().readAllBytes());
      MultipartReader.Part t = r.next();
      assertEquals("ttl", t.name());
      assertEquals("600", new String(t.body().readAllBytes(), StandardCharsets.UTF_8));
      assertNull(r.next());
    }
  }

  @Test
  void truncatedBodiesAreMalformed() {
    byte[] cut = "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nabc".getBytes(StandardCharsets.UTF_8);
    assertThrows(InvalidArgumentException.class, () -> {
      MultipartReader r = new MultipartReader(new ByteArrayInputStream(cut), "b");
      r.next().body().readAllBytes();
    });
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() {
    TrustedProxies t = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, ::1");
    assertEquals("203.0.113.5", t.clientOf("127.0.0.1", "203.0.113.5"));
    assertEquals("203.0.113.5", t.clientOf("10.1.2.3", "198.51.100.1, 203.0.113.5, 10.9.9.9"));
    assertEquals("192.0.2.7", t.clientOf("192.0.2.7", "203.0.113.5"), "untrusted peer: header ignored");
    assertEquals("127.0.0.1", t.clientOf("127.0.0.1", "not-an-ip"));
    assertEquals("127.0.0.1", t.clientOf("127.0.0.1", null));
    assertThrows(InvalidArgumentException.class, () -> TrustedProxies.parse("example.com"));
    assertThrows(InvalidArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
  }
}
