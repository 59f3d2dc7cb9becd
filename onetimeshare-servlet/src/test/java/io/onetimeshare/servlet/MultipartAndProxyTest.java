package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

  /**
   * Many random bodies, large and small, full of delimiter fragments, delivered in random read sizes and read back in
   * random read sizes: every part comes back byte for byte, wherever the 64 KiB buffer happens to cut a delimiter.
   */
  @Test
  void randomBodiesWithDelimiterFragmentsSurviveEveryBufferCut() throws Exception {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261126);
    String boundary = "ots7f3a9c";
    byte[][] fragments = {"\r".getBytes(StandardCharsets.US_ASCII), "\r\n".getBytes(StandardCharsets.US_ASCII),
        "\r\n-".getBytes(StandardCharsets.US_ASCII), "\r\n--".getBytes(StandardCharsets.US_ASCII),
        ("\r\n--" + boundary.substring(0, 5)).getBytes(StandardCharsets.US_ASCII),
        ("\r\n--" + boundary.substring(0, boundary.length() - 1)).getBytes(StandardCharsets.US_ASCII),
        ("\n--" + boundary).getBytes(StandardCharsets.US_ASCII), ("--" + boundary).getBytes(StandardCharsets.US_ASCII)};
    for (int round = 0; round < 60; round++) {
      int parts = 1 + rnd.nextInt(3);
      java.util.List<byte[]> contents = new java.util.ArrayList<>();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int p = 0; p < parts; p++) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        int size = rnd.nextInt(4) == 0 ? rnd.nextInt(300_000) : rnd.nextInt(200);
        while (c.size() < size) {
          if (rnd.nextInt(8) == 0) {
            c.write(fragments[rnd.nextInt(fragments.length)]);
          } else {
            byte[] chunk = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(chunk);
            c.write(chunk);
          }
        }
        if (new String(c.toByteArray(), StandardCharsets.ISO_8859_1).contains("\r\n--" + boundary)) {
          p--; // fragments happened to spell the real delimiter: no sender would use this boundary
          continue;
        }
        contents.add(c.toByteArray());
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"p" + p + "\"\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        body.write(c.toByteArray());
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      long seed = rnd.nextLong();
      InputStream in = new ByteArrayInputStream(body.toByteArray()) {
        final java.util.SplittableRandom sizes = new java.util.SplittableRandom(seed);

        @Override
        public synchronized int read(byte[] buf, int off, int len) {
          return super.read(buf, off, Math.min(len, 1 + sizes.nextInt(sizes.nextBoolean() ? 50 : 70_000)));
        }
      };
      // with the content length, the buffer is sized to the body (the whole body under 16 KiB, else 16 to 64 KiB);
      // without it, 64 KiB
      MultipartReader r = new MultipartReader(in, boundary, rnd.nextBoolean() ? -1 : body.size());
      for (int p = 0; p < parts; p++) {
        MultipartReader.Part part = r.next();
        assertEquals("p" + p, part.name());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1 + rnd.nextInt(100_000)];
        int n;
        while ((n = part.body().read(buf, 0, 1 + rnd.nextInt(buf.length))) >= 0) {
          got.write(buf, 0, n);
        }
        assertArrayEquals(contents.get(p), got.toByteArray(), "round " + round + " part " + p);
      }
      assertNull(r.next());
    }
  }

  /**
   * A buffer sized to a declared length that the stream then exceeds (a container that does not enforce it) ends in a
   * clear error, not a reader waiting for room that never comes.
   */
  @Test
  void aBodyLongerThanItsDeclaredLengthIsMalformed() {
    byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"text\"; filename=\"" + "n".repeat(3000)
        + "\"\r\n\r\nabc\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
    InvalidArgumentException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(10), () -> assertThrows(InvalidArgumentException.class,
            () -> new MultipartReader(new ByteArrayInputStream(body), "b", 100).next()));
    assertEquals("The multipart body is malformed: part headers are longer than 8 KiB.", e.getMessage());
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
    assertEquals("127.0.0.1", t.clientOf("127.0.0.1", (String) null));
    assertThrows(InvalidArgumentException.class, () -> TrustedProxies.parse("example.com"));
    assertThrows(InvalidArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
  }

  /** HAProxy's option forwardfor appends its own header line: every line counts, in order. */
  @Test
  void everyForwardedForLineCounts() {
    TrustedProxies t = TrustedProxies.parse("127.0.0.1");
    // the client forged the first line; the proxy appended the real address as a second line
    assertEquals("198.51.100.9", t.clientOf("127.0.0.1", java.util.List.of("203.0.113.5", "198.51.100.9")));
    assertEquals("198.51.100.9", t.clientOf("127.0.0.1", java.util.List.of("203.0.113.5, 198.51.100.9")));
    assertEquals("127.0.0.1", t.clientOf("127.0.0.1", java.util.List.of("198.51.100.9", "junk")));
  }

  @Test
  void addressesAreNormalisedAndIpv6GroupedByNetwork() {
    TrustedProxies t = TrustedProxies.parse("127.0.0.1");
    assertEquals("1.2.3.4", t.clientOf("127.0.0.1", "::ffff:1.2.3.4"), "IPv4-mapped is IPv4");
    assertEquals("1.2.3.4", t.clientOf("::ffff:1.2.3.4", (String) null));
    assertEquals("2001:db8:1:2:0:0:0:0/64", t.clientOf("127.0.0.1", "2001:DB8:1:2::AbCd"));
    assertEquals(t.clientOf("127.0.0.1", "2001:db8:1:2:ffff::1"), t.clientOf("127.0.0.1", "2001:db8:1:2::2"),
        "one /64 is one client");
    assertNotEquals(t.clientOf("127.0.0.1", "2001:db8:1:3::1"), t.clientOf("127.0.0.1", "2001:db8:1:2::1"));
    TrustedProxies exact = t.withIpv6Prefix(128);
    assertEquals("2001:db8:1:2:0:0:0:abcd", exact.clientOf("127.0.0.1", "2001:db8:1:2::abcd"));
    assertEquals("2001:db8:0:0:0:0:0:0/48", t.withIpv6Prefix(48).clientOf("127.0.0.1", "2001:db8::1"));
    assertThrows(InvalidArgumentException.class, () -> t.withIpv6Prefix(20));
  }

  @Test
  void quotedHeaderParametersKeepTheirSemicolonsAndQuotes() throws Exception {
    byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b\\\".html\"\r\n\r\n"
        + "x\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), "b");
    MultipartReader.Part p = r.next();
    assertEquals("file", p.name());
    assertEquals("a;b\".html", p.filename());
    byte[] ext = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"; "
        + "filename*=UTF-8''%E2%82%AC%20rate.txt\r\n\r\nx\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
    assertEquals("\u20ac rate.txt", new MultipartReader(new ByteArrayInputStream(ext), "b").next().filename());
  }
}
