package io.onetimeshare.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.testing.BodyStoreContract;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The body store contract on a real S3 API (s3proxy over a directory), and what only S3 shows. */
class S3BodyStoreTest extends BodyStoreContract {
  static S3ProxyProcess s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyProcess.start("ots-test");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Override
  protected BodyStore createStore() {
    return s3.store("ots-test", "c/");
  }

  @Test
  void aBodyLargerThanAPartGoesUpInPartsAndTheStoreHoldsExactlyTheBytes() throws Exception {
    byte[] body = bytes((8 << 20) * 2 + 12345); // three parts of the default 8 MiB
    String key = prefix + "/large";
    store.write(key, new ByteArrayInputStream(body));
    try (var in = store.read(key).orElseThrow().stream()) {
      assertTrue(java.util.Arrays.equals(body, in.readAllBytes()));
    }
    // what sits in the bucket is the body under the prefix and the key, nothing else of ours
    try (Stream<java.nio.file.Path> files = Files.walk(s3.data.resolve("ots-test"))) {
      assertTrue(files.anyMatch(p -> p.toString().endsWith("c/" + key) && sizeIs(p, body.length)));
    }
    assertEquals(0, store.unfinished(100).stream().filter(u -> u.key().startsWith(prefix)).count(),
        "the multipart upload was completed");
  }

  private static boolean sizeIs(java.nio.file.Path p, long n) {
    try {
      return Files.size(p) == n;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
