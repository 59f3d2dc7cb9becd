package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.onetimeshare.memory.InMemorySecretVault;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Any change to a stored envelope ends in an error, never in a wrong plaintext. */
class TamperTest {
  private final InMemorySecretVault vault = InMemorySecretVault.builder().build();
  private final OneTimeShare ots = OneTimeShare.builder().vault(vault).segmentSize(64)
      .argon2(OneTimeShareTest.FAST).build();

  private record Stored(SecretRecord record, byte[] body) {}

  private Stored take(String id) throws IOException {
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow(); InputStream in = c.body()) {
      return new Stored(c.record(), in.readAllBytes());
    }
  }

  private void store(String id, byte[] header, byte[] body) throws IOException {
    SecretRecord r = vault.peek(id).orElse(null);
    if (r != null) {
      vault.delete(id);
    }
    vault.put(new SecretRecord(id, java.time.Instant.now().plusSeconds(600), header, new byte[32], 5),
        out -> out.write(body));
  }

  private static String content() {
    return "0123456789".repeat(15); // three segments of 64 bytes with the metadata prefix
  }

  @Test
  void everyFlippedBitOfHeaderOrBodyIsDetected() throws IOException {
    for (boolean passphrase : new boolean[] {false, true}) {
      ShareOptions opts = passphrase ? ShareOptions.builder().passphrase("pw").build() : ShareOptions.defaults();
      ShareReceipt r = ots.share(content(), opts);
      Stored s = take(r.id());
      byte[] header = s.record().header();
      int total = header.length + s.body().length;
      for (int i = 0; i < total; i++) {
        byte[] h = header.clone();
        byte[] b = s.body().clone();
        if (i < h.length) {
          h[i] ^= 0x01;
        } else {
          b[i - h.length] ^= (byte) 0x80;
        }
        store(r.id(), h, b);
        Credential c = passphrase ? Credential.passphrase("pw") : Credential.key(r.key());
        int at = i;
        assertThrows(IntegrityException.class, () -> ots.open(r.id(), c), () -> "byte " + at + " not detected");
      }
      store(r.id(), header, s.body());
      assertEquals(content(),
          ots.open(r.id(), passphrase ? Credential.passphrase("pw") : Credential.key(r.key())).text());
    }
  }

  private void assertRejected(String id, String key, byte[] header, byte[] body) throws IOException {
    store(id, header, body);
    try {
      OpenedSecret s = ots.open(id, Credential.key(key));
      fail("returned " + s.content().length + " bytes for a modified envelope");
    } catch (IntegrityException | WrongCredentialException expected) {
      // detected
    }
  }

  @Test
  void truncationExtensionReorderAndMoveAreDetected() throws IOException {
    ShareReceipt r = ots.share(content());
    Stored s = take(r.id());
    byte[] h = s.record().header();
    byte[] b = s.body();
    int seg = 64 + 16;
    assertEquals(3 * seg - (3 * 64 - 150 - 5), b.length);
    UnaryOperator<byte[]> dropLastSegment = x -> Arrays.copyOf(x, 2 * seg);
    UnaryOperator<byte[]> dropTail = x -> Arrays.copyOf(x, x.length - 1);
    UnaryOperator<byte[]> extend = x -> Arrays.copyOf(x, x.length + seg);
    UnaryOperator<byte[]> swap = x -> {
      byte[] y = x.clone();
      System.arraycopy(x, seg, y, 0, seg);
      System.arraycopy(x, 0, y, seg, seg);
      return y;
    };
    UnaryOperator<byte[]> duplicateFirst = x -> {
      byte[] y = new byte[x.length + seg];
      System.arraycopy(x, 0, y, 0, seg);
      System.arraycopy(x, 0, y, seg, x.length);
      return y;
    };
    UnaryOperator<byte[]> empty = x -> new byte[0];
    for (UnaryOperator<byte[]> op : Arrays.asList(dropLastSegment, dropTail, extend, swap, duplicateFirst, empty)) {
      assertRejected(r.id(), r.key(), h, op.apply(b));
    }
    // moved to another id: the commitment and the AAD bind the id
    ShareReceipt other = ots.share("other");
    take(other.id());
    assertRejected(other.id(), r.key(), h, b);
  }

  @Test
  void headerOfAnotherSecretIsDetected() throws IOException {
    ShareReceipt a = ots.share(content());
    ShareReceipt b = ots.share(content());
    Stored sa = take(a.id());
    Stored sb = take(b.id());
    assertRejected(a.id(), a.key(), sb.record().header(), sa.body());
  }
}
