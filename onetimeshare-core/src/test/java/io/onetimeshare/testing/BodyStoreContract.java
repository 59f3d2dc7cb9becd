package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.BodyStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BodyStore} contract (issue 37), run by every body store: memory, a directory, S3 (s3proxy). Each test
 * works under a prefix of its own, so stores may be shared between tests.
 */
public abstract class BodyStoreContract {
  private static final SecureRandom RANDOM = new SecureRandom();
  protected BodyStore store;
  protected String prefix;

  /** A store (may be shared across tests; each test uses its own key prefix). */
  protected abstract BodyStore createStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = createStore();
    prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  protected static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private byte[] read(String key) throws Exception {
    BodyStore.Body b = store.read(key).orElseThrow(() -> new AssertionError("no body under " + key));
    try (InputStream in = b.stream()) {
      byte[] all = in.readAllBytes();
      assertEquals(all.length, b.length(), "the length told is the body's");
      return all;
    }
  }

  @Test
  void aBodyIsReadBackExactlyAndDeletedForGood() throws Exception {
    for (int size : new int[] {0, 1, 65_536, 3 * 1024 * 1024 + 17}) {
      String key = prefix + "/b/" + size;
      byte[] body = bytes(size);
      store.write(key, new ByteArrayInputStream(body));
      assertArrayEquals(body, read(key), size + " bytes");
      assertArrayEquals(body, read(key), "reading does not consume: the records decide what is opened once");
      store.delete(key);
      assertTrue(store.read(key).isEmpty(), "deleted");
      store.delete(key); // again: nothing happens
    }
    assertTrue(store.read(prefix + "/never").isEmpty(), "absent is empty, not an error");
  }

  @Test
  void aBodyThatFailsMidWriteLeavesNothing() throws Exception {
    String key = prefix + "/failing";
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws java.io.IOException {
        if (n++ > 100_000) {
          throw new java.io.IOException("the client went away");
        }
        return 'x';
      }
    };
    assertThrows(Exception.class, () -> store.write(key, failing));
    assertTrue(store.read(key).isEmpty(), "a body is whole or absent");
  }

  @Test
  void keysBeforeABoundComeInOrderAndNoneAfterIt() throws Exception {
    List<String> keys = List.of(prefix + "/0000000001/a", prefix + "/0000000002/b", prefix + "/0000000002/c",
        prefix + "/0000000003/d");
    for (int i = keys.size() - 1; i >= 0; i--) {
      String k = keys.get(i);
      store.write(k, new ByteArrayInputStream(bytes(10)));
    }
    List<String> due = store.keysBefore(prefix + "/0000000003", 100).stream().filter(k -> k.startsWith(prefix))
        .toList();
    assertEquals(keys.subList(0, 3), due);
    assertEquals(2, store.keysBefore(prefix + "/0000000003", 2).stream().filter(k -> k.startsWith(prefix)).count(),
        "at most max");
  }

  @Test
  void aBodyWrittenInPartsIsTheirConcatenationAndAnAbortedOneIsNothing() throws Exception {
    String key = prefix + "/parts";
    String w = store.beginParts(key);
    int min = Math.max(1, store.minPartSize());
    byte[] p1 = bytes(min);
    byte[] p2 = bytes(min);
    byte[] p3 = bytes(1234);
    String e1 = store.writePart(key, w, 1, bytes(min)); // written again below: the later one counts
    e1 = store.writePart(key, w, 1, p1);
    String e3 = store.writePart(key, w, 3, p3); // any order
    // from pieces, as a part gathered from a request's segments is written
    int cut1 = Math.min(7, min);
    int cut2 = Math.max(cut1, min / 2);
    String e2 = store.writePart(key, w, 2, List.of(java.util.Arrays.copyOfRange(p2, 0, cut1),
        java.util.Arrays.copyOfRange(p2, cut1, cut2), new byte[0], java.util.Arrays.copyOfRange(p2, cut2, min)));
    assertTrue(store.unfinished(1000).stream().anyMatch(u -> u.writeId().equals(w) && u.key().equals(key)));
    assertTrue(store.read(key).isEmpty(), "nothing readable before it is complete");
    store.completeParts(key, w, List.of(e1, e2, e3));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(p1);
    all.writeBytes(p2);
    all.writeBytes(p3);
    assertArrayEquals(all.toByteArray(), read(key));
    assertFalse(store.unfinished(1000).stream().anyMatch(u -> u.writeId().equals(w)), "completed is not unfinished");

    String other = prefix + "/aborted";
    String w2 = store.beginParts(other);
    store.writePart(other, w2, 1, bytes(100));
    store.abortParts(other, w2);
    assertFalse(store.unfinished(1000).stream().anyMatch(u -> u.writeId().equals(w2)), "aborted");
    assertTrue(store.read(other).isEmpty());
    store.abortParts(other, w2); // again: nothing happens
  }

  @Test
  void manyWritersAtOnceEachGetTheirOwnBody() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String key = prefix + "/c/" + i;
        byte[] body = bytes(10_000 + i);
        all.add(pool.submit(() -> {
          store.write(key, new ByteArrayInputStream(body));
          assertArrayEquals(body, read(key));
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysAreChecked() {
    for (String bad : new String[] {"", "/a", "a/", "a//b", "../x", "a b", "a\nb", "x".repeat(201)}) {
      assertThrows(IllegalArgumentException.class, () -> store.write(bad, new ByteArrayInputStream(new byte[1])),
          bad);
    }
  }
}
