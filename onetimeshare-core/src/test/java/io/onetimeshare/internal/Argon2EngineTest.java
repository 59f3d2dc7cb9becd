package io.onetimeshare.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.crypto.Argon2idParameters;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** The parallel-lane Argon2id against RFC 9106's test vector and, byte for byte, against BouncyCastle's. */
class Argon2EngineTest {

  /** RFC 9106 section 5.3: Argon2id, m = 32 KiB, t = 3, p = 4, with a secret and associated data. */
  @Test
  void matchesTheRfcTestVector() {
    byte[] password = filled(32, 0x01);
    byte[] salt = filled(16, 0x02);
    byte[] secret = filled(8, 0x03);
    byte[] ad = filled(12, 0x04);
    byte[] tag = Argon2Engine.argon2id(password, salt, secret, ad, 32, 3, 4, 32);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
  }

  /** Random costs, lengths and inputs, including lane counts that do not divide the memory and a single pass. */
  @Test
  void matchesBouncyCastleOnRandomParameters() {
    SplittableRandom random = new SplittableRandom(20261127L);
    for (int round = 0; round < 60; round++) {
      int p = 1 + random.nextInt(7);
      int m = 8 * p + random.nextInt(600);
      int t = 1 + random.nextInt(4);
      byte[] password = bytes(random, random.nextInt(70));
      byte[] salt = bytes(random, 8 + random.nextInt(40));
      int tagLength = round % 5 == 0 ? 4 + random.nextInt(200) : 32;
      byte[] expected = bouncyCastle(password, salt, m, t, p, tagLength);
      byte[] actual = Argon2Engine.argon2id(password, salt, new byte[0], new byte[0], m, t, p, tagLength);
      assertArrayEquals(expected, actual, "m=" + m + " t=" + t + " p=" + p + " tag=" + tagLength);
    }
  }

  @Test
  void theDefaultCostMatchesBouncyCastle() {
    byte[] password = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] salt = filled(16, 0x2a);
    Argon2idParameters d = Argon2idParameters.ofDefaults();
    assertArrayEquals(bouncyCastle(password, salt, d.memoryKiB(), d.iterations(), d.parallelism(), 32),
        Argon2id.derive(password, salt, d));
  }

  /**
   * A memory kept by the pool from one derivation (the first of these, at 2 MiB) gives the next ones of the same size,
   * with other inputs and pass counts, the same results as a new memory would.
   */
  @Test
  void aReusedMemoryDerivesWhatAFreshOneDoes() {
    for (int i = 0; i < 4; i++) {
      byte[] password = filled(12, 40 + i);
      assertArrayEquals(bouncyCastle(password, filled(16, 9), 2048, 1 + i % 2, 4, 32),
          Argon2Engine.argon2id(password, filled(16, 9), new byte[0], new byte[0], 2048, 1 + i % 2, 4, 32));
    }
  }

  /** The memory a derivation leaves to the pool holds none of its blocks. */
  @Test
  void theKeptMemoryIsWiped() {
    int blocks = 8 * 4 * 77; // a size no other test uses: m = 2464 KiB, p = 4
    Argon2Engine.argon2id(filled(10, 1), filled(16, 2), new byte[0], new byte[0], blocks, 1, 4, 32);
    assertTrue(BlockPool.holds(blocks), "the derivation's memory was kept");
    long[][] kept = BlockPool.take(blocks, 128);
    for (long[] block : kept) {
      for (long word : block) {
        assertEquals(0L, word, "a kept memory still holds a block");
      }
    }
  }

  /** Derivations at once share the helper threads; each still gets its own result. */
  @Test
  void concurrentDerivationsDoNotMix() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] password = filled(10, i);
        results.add(pool.submit(() -> Argon2Engine.argon2id(password, filled(16, 7), new byte[0], new byte[0],
            1024, 2, 4, 32)));
      }
      for (int i = 0; i < 8; i++) {
        assertArrayEquals(bouncyCastle(filled(10, i), filled(16, 7), 1024, 2, 4, 32), results.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] bouncyCastle(byte[] password, byte[] salt, int m, int t, int p, int tagLength) {
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build());
    byte[] out = new byte[tagLength];
    gen.generateBytes(password, out);
    return out;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
