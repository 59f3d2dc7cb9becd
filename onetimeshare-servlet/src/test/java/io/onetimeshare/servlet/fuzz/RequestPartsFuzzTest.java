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
