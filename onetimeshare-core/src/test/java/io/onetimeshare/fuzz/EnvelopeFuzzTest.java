package io.onetimeshare.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.onetimeshare.Credential;
import io.onetimeshare.IntegrityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.OpenedSecret;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.WrongCredentialException;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.memory.InMemorySecretVault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fuzz targets for the envelope: the header parser on arbitrary bytes, and opening mutated envelopes. CI runs them
 * in regression mode on the corpus under src/test/resources; {@code JAZZER_FUZZ=1 mvn test -Dtest=EnvelopeFuzzTest
 * -Djazzer.max_duration=5m} fuzzes for real.
 */
class EnvelopeFuzzTest {
  private static final Argon2idParameters CEILING = new Argon2idParameters(1024, 2, 2);
  private static final byte[] PLAIN = "fuzz me, but never change me".getBytes(StandardCharsets.UTF_8);
  private static final InMemorySecretVault VAULT = InMemorySecretVault.builder().build();
  private static final OneTimeShare OTS = OneTimeShare.builder().vault(VAULT).segmentSize(16)
      .argon2(new Argon2idParameters(64, 1, 1)).argon2Ceiling(CEILING).build();
  private static final byte[][] STORED = new byte[2][];
  private static final String KEY;

  static {
    ShareReceipt r = OTS.share(PLAIN, ShareOptions.builder().filename("f.txt").build());
    KEY = r.key();
    try (SecretVault.ClaimedSecret c = VAULT.claim(r.id()).orElseThrow(); InputStream in = c.body()) {
      STORED[0] = c.record().header();
      STORED[1] = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Arbitrary bytes as a header: parsed exactly, or refused with the library's own integrity errors. */
  @FuzzTest(maxDuration = "30s")
  void headerParser(byte[] data) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parse(data, CEILING);
      assertEquals(data.length, h.length());
      assertArrayEquals(data, h.encode(), "a parsed header re-encodes to the same bytes");
      if (h.kdf() != null) {
        assertTrue(h.kdf().isWithin(CEILING), "the KDF ceiling is respected");
      }
    } catch (IntegrityException expected) {
      // includes UnsupportedEnvelopeException
    }
  }

  /** A valid envelope, mutated: opening yields the exact plaintext (no-op mutation) or a documented error. */
  @FuzzTest(maxDuration = "30s")
  void mutatedEnvelope(FuzzedDataProvider data) throws IOException {
    byte[] header = STORED[0].clone();
    byte[] body = STORED[1].clone();
    int edits = data.consumeInt(0, 4);
    for (int i = 0; i < edits; i++) {
      boolean inHeader = data.consumeBoolean();
      byte[] target = inHeader ? header : body;
      switch (data.consumeInt(0, 2)) {
        case 0 -> {
          if (target.length > 0) {
            target[data.consumeInt(0, target.length - 1)] ^= (byte) data.consumeInt(1, 255);
          }
        }
        case 1 -> {
          int n = data.consumeInt(0, target.length);
          target = Arrays.copyOf(target, n);
        }
        default -> {
          byte[] extra = data.consumeBytes(32);
          byte[] t = Arrays.copyOf(target, target.length + extra.length);
          System.arraycopy(extra, 0, t, target.length, extra.length);
          target = t;
        }
      }
      if (inHeader) {
        header = target;
      } else {
        body = target;
      }
    }
    String id = "AAAAAAAAAAAAAAAAAAAAA" + (char) ('A' + data.consumeInt(0, 25));
    VAULT.delete(id);
    byte[] finalBody = body;
    VAULT.put(new SecretRecord(id, Instant.now().plusSeconds(600), header, new byte[32], 5),
        out -> out.write(finalBody));
    try {
      OpenedSecret s = OTS.open(id, Credential.key(KEY));
      assertArrayEquals(PLAIN, s.content(), "a mutated envelope must never open to other bytes");
      assertTrue(Arrays.equals(header, STORED[0]) && Arrays.equals(body, STORED[1]), "only an unchanged envelope opens");
    } catch (IntegrityException | WrongCredentialException | SecretNotFoundException | InvalidArgumentException e) {
      // documented refusals
    } finally {
      VAULT.delete(id);
    }
  }
}
