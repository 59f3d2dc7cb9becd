package io.onetimeshare.servlet.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.servlet.internal.MultipartReader;
import io.onetimeshare.servlet.internal.TrustedProxies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Fuzz targets for the pieces that parse untrusted request input before anything reaches the library. */
class RequestPartsFuzzTest {

  /** Arbitrary multipart bodies: parts come out bounded, or a clear InvalidArgumentException. */
  @FuzzTest(maxDuration = "30s")
  void multipart(FuzzedDataProvider data) throws IOException {
    String boundary = data.consumeString(72);
    byte[] body = data.consumeRemainingAsBytes();
    try {
      MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), boundary);
      MultipartReader.Part p;
      int parts = 0;
      long total = 0;
      while ((p = r.next()) != null) {
        total += p.body().readAllBytes().length;
        parts++;
      }
      assertTrue(total <= body.length, "never more bytes out than in");
      assertTrue(parts <= body.length, "a part takes at least one byte");
    } catch (InvalidArgumentException expected) {
      // malformed: a clear 400
    }
  }

  /**
   * Round trip: parts built from fuzzed contents (any bytes that do not spell the delimiter), delivered in fuzzed read
   * sizes into a buffer of fuzzed size, come back exactly. Guards the delimiter search across buffer refills.
   */
  @FuzzTest(maxDuration = "30s")
  void multipartRoundTrip(FuzzedDataProvider data) throws IOException {
    String boundary = "b" + Integer.toHexString(data.consumeInt(0, 0xfffff));
    String delimiter = "\r\n--" + boundary;
    int parts = data.consumeInt(1, 4);
    java.util.List<byte[]> contents = new java.util.ArrayList<>();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts; i++) {
      byte[] c = data.consumeBytes(data.consumeInt(0, 200_000));
      if (new String(c, StandardCharsets.ISO_8859_1).contains(delimiter)) {
        return; // no sender would pick a boundary that its content contains
      }
      contents.add(c);
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"p" + i + "\"\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      body.write(c);
      body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    int[] sizes = new int[16];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = data.consumeInt(1, 70_000);
    }
    long declared = data.consumeBoolean() ? -1 : body.size();
    InputStream in = new ByteArrayInputStream(body.toByteArray()) {
      int n;

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, sizes[n++ % sizes.length]));
      }
    };
    MultipartReader r = new MultipartReader(in, boundary, declared);
    for (int i = 0; i < parts; i++) {
      MultipartReader.Part p = r.next();
      assertTrue(p != null && p.name().equals("p" + i), "part " + i + " is there");
      assertTrue(java.util.Arrays.equals(contents.get(i), p.body().readAllBytes()), "part " + i + " is exact");
    }
    assertTrue(r.next() == null, "nothing after the closing delimiter");
  }

  /** Proxy lists and forwarded-for headers: the client is the peer or one of the listed hops, never anything else. */
  @FuzzTest(maxDuration = "30s")
  void forwardedFor(FuzzedDataProvider data) {
    String spec = data.consumeString(100);
    String remote = data.consumeString(50);
    String xff = data.consumeRemainingAsString();
    TrustedProxies t;
    try {
      t = TrustedProxies.parse(spec);
    } catch (InvalidArgumentException expected) {
      t = TrustedProxies.parse("127.0.0.1, ::1");
    }
    String client = t.clientOf(remote, xff);
    assertTrue(client.equals(remote) || Arrays.stream(xff.split(",")).map(String::trim).anyMatch(client::equals),
        "client must be the peer or a forwarded hop");
  }

  /** Size, duration and rate option strings: a value in range or a clear InvalidArgumentException. */
  @FuzzTest(maxDuration = "30s")
  void optionValues(String text) {
    if (text == null) {
      return; // @NullMarked API: null is a caller bug
    }
    try {
      long size = OptionValues.size(text);
      assertTrue(size >= 1 && size <= (64L << 30));
    } catch (InvalidArgumentException expected) {
      // refused
    }
    try {
      assertTrue(!OptionValues.duration(text).isNegative());
    } catch (InvalidArgumentException expected) {
      // refused
    }
    try {
      OptionValues.rate(text);
    } catch (InvalidArgumentException expected) {
      // refused
    }
  }
}
