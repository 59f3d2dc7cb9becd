package io.onetimeshare.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2 (RFC 9106, version 0x13, type id) whose lanes fill in parallel. BouncyCastle's {@code Argon2BytesGenerator}
 * computes the lanes of a slice one after another, so at the default p = 4 it takes about twice as long as the C
 * reference, which gives each lane a thread; RFC 9106 section 3.4 lets the p segments of a slice be computed at the
 * same time, because a block only references blocks of other lanes from finished slices. This engine does that
 * through {@link LaneRunner} and otherwise follows the RFC step by step; BouncyCastle still provides BLAKE2b (for H0,
 * H' and the tag) and is the oracle its tests compare with, byte for byte, on random parameters.
 *
 * <p>Memory is one {@code long[128]} per 1 KiB block, wiped (with the working blocks) before returning. Separate
 * arrays rather than offsets into one: the JIT vectorises a loop over equal indices of two arrays, not over different
 * offsets of what may be the same array (measured: the flat layout was about 1.2x slower per block, 31 ms against
 * 27).
 */
final class Argon2Engine {
  private static final int BLOCK_LONGS = 128;
  private static final int BLOCK_BYTES = 1024;
  private static final int SYNC_POINTS = 4;
  private static final int VERSION = 0x13;
  private static final int TYPE_ID = 2;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long[][] memory;
  private final int lanes;
  private final int passes;
  private final int laneLength;
  private final int segmentLength;
  private final int memoryBlocks;

  private Argon2Engine(int memoryKiB, int passes, int lanes) {
    int blocks = Math.max(memoryKiB, 2 * SYNC_POINTS * lanes);
    this.segmentLength = blocks / (lanes * SYNC_POINTS);
    this.memoryBlocks = segmentLength * lanes * SYNC_POINTS;
    this.laneLength = segmentLength * SYNC_POINTS;
    this.lanes = lanes;
    this.passes = passes;
    this.memory = BlockPool.take(memoryBlocks, BLOCK_LONGS);
  }

  /**
   * Argon2id of {@code password} and {@code salt} (with RFC 9106's optional secret {@code key} and associated data
   * {@code ad}, empty here but for the RFC's test vector), {@code tagLength} bytes. Parameters are checked by the
   * caller ({@code Argon2idParameters}); the inputs are not modified.
   */
  static byte[] argon2id(byte[] password, byte[] salt, byte[] key, byte[] ad, int memoryKiB, int passes, int lanes,
      int tagLength) {
    Argon2Engine e = new Argon2Engine(memoryKiB, passes, lanes);
    try {
      byte[] h0 = e.h0(password, salt, key, ad, memoryKiB, tagLength);
      try {
        e.firstBlocks(h0);
      } finally {
        Arrays.fill(h0, (byte) 0);
      }
      for (int pass = 0; pass < passes; pass++) {
        for (int slice = 0; slice < SYNC_POINTS; slice++) {
          int p = pass;
          int s = slice;
          LaneRunner.forEachLane(lanes, lane -> e.fillSegment(p, lane, s));
        }
      }
      return e.tag(tagLength);
    } finally {
      for (long[] block : e.memory) {
        Arrays.fill(block, 0L);
      }
      BlockPool.give(e.memory);
    }
  }

  private byte[] h0(byte[] password, byte[] salt, byte[] key, byte[] ad, int memoryKiB, int tagLength) {
    Blake2bDigest d = new Blake2bDigest(512);
    int[] head = {lanes, tagLength, memoryKiB, passes, VERSION, TYPE_ID};
    for (int v : head) {
      updateInt(d, v);
    }
    for (byte[] field : new byte[][] {password, salt, key, ad}) {
      updateInt(d, field.length);
      d.update(field, 0, field.length);
    }
    byte[] h0 = new byte[64 + 8];
    d.doFinal(h0, 0);
    return h0;
  }

  private void firstBlocks(byte[] h0) {
    byte[] block = new byte[BLOCK_BYTES];
    try {
      for (int lane = 0; lane < lanes; lane++) {
        for (int i = 0; i < 2; i++) {
          putInt(h0, 64, i);
          putInt(h0, 68, lane);
          hPrime(h0, block, BLOCK_BYTES);
          long[] b = memory[lane * laneLength + i];
          for (int k = 0; k < BLOCK_LONGS; k++) {
            b[k] = (long) LONGS.get(block, k * 8);
          }
        }
      }
    } finally {
      Arrays.fill(block, (byte) 0);
    }
  }

  private byte[] tag(int tagLength) {
    long[] c = new long[BLOCK_LONGS];
    for (int lane = 0; lane < lanes; lane++) {
      long[] last = memory[lane * laneLength + laneLength - 1];
      for (int k = 0; k < BLOCK_LONGS; k++) {
        c[k] ^= last[k];
      }
    }
    byte[] bytes = new byte[BLOCK_BYTES];
    for (int k = 0; k < BLOCK_LONGS; k++) {
      LONGS.set(bytes, k * 8, c[k]);
    }
    Arrays.fill(c, 0L);
    byte[] out = new byte[tagLength];
    hPrime(bytes, out, tagLength);
    Arrays.fill(bytes, (byte) 0);
    return out;
  }

  /** One segment: the blocks of {@code lane} in {@code slice} of {@code pass} (RFC 9106 section 3.4). */
  private void fillSegment(int pass, int lane, int slice) {
    long[] r = new long[BLOCK_LONGS];
    long[] tmp = new long[BLOCK_LONGS];
    boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
    long[] zero = new long[BLOCK_LONGS];
    long[] input = new long[BLOCK_LONGS];
    long[] address = new long[BLOCK_LONGS];
    if (independent) {
      input[0] = pass;
      input[1] = lane;
      input[2] = slice;
      input[3] = memoryBlocks;
      input[4] = passes;
      input[5] = TYPE_ID;
    }
    int start = 0;
    if (pass == 0 && slice == 0) {
      start = 2;
      if (independent) {
        nextAddresses(zero, input, address, r, tmp);
      }
    }
    int curr = lane * laneLength + slice * segmentLength + start;
    int prev = curr % laneLength == 0 ? curr + laneLength - 1 : curr - 1;
    for (int i = start; i < segmentLength; i++, curr++, prev++) {
      if (curr % laneLength == 1) {
        prev = curr - 1;
      }
      long rand;
      if (independent) {
        if (i % BLOCK_LONGS == 0) {
          nextAddresses(zero, input, address, r, tmp);
        }
        rand = address[i % BLOCK_LONGS];
      } else {
        rand = memory[prev][0];
      }
      int refLane = pass == 0 && slice == 0 ? lane : (int) ((rand >>> 32) % lanes);
      int ref = refLane * laneLength + referenceIndex(pass, slice, i, rand & 0xFFFFFFFFL, refLane == lane);
      compress(memory[prev], memory[ref], memory[curr], pass != 0, r, tmp);
    }
    Arrays.fill(r, 0L);
    Arrays.fill(tmp, 0L);
    Arrays.fill(address, 0L);
  }

  private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
    long area;
    if (pass == 0) {
      if (slice == 0) {
        area = index - 1L;
      } else {
        area = (long) slice * segmentLength + (sameLane ? index - 1 : index == 0 ? -1 : 0);
      }
    } else {
      area = (long) laneLength - segmentLength + (sameLane ? index - 1 : index == 0 ? -1 : 0);
    }
    long x = (j1 * j1) >>> 32;
    long relative = area - 1 - ((area * x) >>> 32);
    long startPosition = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
    return (int) ((startPosition + relative) % laneLength);
  }

  /** The next 128 pseudo-random addresses: G(0, G(0, input)) after counting the input block up. */
  private static void nextAddresses(long[] zero, long[] input, long[] address, long[] r, long[] tmp) {
    input[6]++;
    compress(zero, input, address, false, r, tmp);
    compress(zero, address, address, false, r, tmp);
  }

  /**
   * The compression function G of RFC 9106 section 3.5: {@code out = P(x ^ y) ^ (x ^ y)}, also XORed with the old
   * {@code out} when {@code xorOut} (passes after the first). {@code out} may alias {@code y}.
   */
  private static void compress(long[] x, long[] y, long[] out, boolean xorOut, long[] r, long[] tmp) {
    for (int k = 0; k < BLOCK_LONGS; k++) {
      r[k] = x[k] ^ y[k];
    }
    if (xorOut) {
      for (int k = 0; k < BLOCK_LONGS; k++) {
        tmp[k] = r[k] ^ out[k];
      }
    } else {
      System.arraycopy(r, 0, tmp, 0, BLOCK_LONGS);
    }
    for (int i = 0; i < 8; i++) {
      rowRound(r, 16 * i);
    }
    for (int i = 0; i < 8; i++) {
      columnRound(r, 2 * i);
    }
    for (int k = 0; k < BLOCK_LONGS; k++) {
      out[k] = tmp[k] ^ r[k];
    }
  }

  /**
   * BLAKE2b's round without message (with BlaMka's multiplication, RFC 9106 section 3.6) on the 16 words of row
   * {@code b / 16}: words {@code b} to {@code b + 15}. Each G works on the array at fixed offsets from {@code b}
   * (measured against the alternatives, cache-resident, one thread: 16 index arguments 31 ms, the 16 words in locals
   * 27 ms, this 19 ms, BouncyCastle's generator 22-28 ms per 38,912 blocks).
   */
  private static void rowRound(long[] v, int b) {
    mix(v, b, b + 4, b + 8, b + 12);
    mix(v, b + 1, b + 5, b + 9, b + 13);
    mix(v, b + 2, b + 6, b + 10, b + 14);
    mix(v, b + 3, b + 7, b + 11, b + 15);
    mix(v, b, b + 5, b + 10, b + 15);
    mix(v, b + 1, b + 6, b + 11, b + 12);
    mix(v, b + 2, b + 7, b + 8, b + 13);
    mix(v, b + 3, b + 4, b + 9, b + 14);
  }

  /** The same round on column {@code b / 2}: words {@code b, b + 1, b + 16, b + 17, ..., b + 112, b + 113}. */
  private static void columnRound(long[] v, int b) {
    mix(v, b, b + 32, b + 64, b + 96);
    mix(v, b + 1, b + 33, b + 65, b + 97);
    mix(v, b + 16, b + 48, b + 80, b + 112);
    mix(v, b + 17, b + 49, b + 81, b + 113);
    mix(v, b, b + 33, b + 80, b + 113);
    mix(v, b + 1, b + 48, b + 81, b + 96);
    mix(v, b + 16, b + 49, b + 64, b + 97);
    mix(v, b + 17, b + 32, b + 65, b + 112);
  }

  /** G of BLAKE2b with BlaMka's multiplication on four words of {@code v}. */
  private static void mix(long[] v, int ia, int ib, int ic, int id) {
    long a = v[ia];
    long b = v[ib];
    long c = v[ic];
    long d = v[id];
    a = blaMka(a, b);
    d = Long.rotateRight(d ^ a, 32);
    c = blaMka(c, d);
    b = Long.rotateRight(b ^ c, 24);
    a = blaMka(a, b);
    d = Long.rotateRight(d ^ a, 16);
    c = blaMka(c, d);
    b = Long.rotateRight(b ^ c, 63);
    v[ia] = a;
    v[ib] = b;
    v[ic] = c;
    v[id] = d;
  }

  private static long blaMka(long x, long y) {
    return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
  }

  /** H' of RFC 9106 section 3.3: BLAKE2b stretched to {@code length} bytes. */
  private static void hPrime(byte[] in, byte[] out, int length) {
    if (length <= 64) {
      Blake2bDigest d = new Blake2bDigest(length * 8);
      updateInt(d, length);
      d.update(in, 0, in.length);
      d.doFinal(out, 0);
      return;
    }
    byte[] v = new byte[64];
    Blake2bDigest d = new Blake2bDigest(512);
    updateInt(d, length);
    d.update(in, 0, in.length);
    d.doFinal(v, 0);
    System.arraycopy(v, 0, out, 0, 32);
    int pos = 32;
    int remaining = length - 32;
    while (remaining > 64) {
      d.update(v, 0, 64);
      d.doFinal(v, 0);
      System.arraycopy(v, 0, out, pos, 32);
      pos += 32;
      remaining -= 32;
    }
    Blake2bDigest last = new Blake2bDigest(remaining * 8);
    last.update(v, 0, 64);
    last.doFinal(out, pos);
    Arrays.fill(v, (byte) 0);
  }

  private static void updateInt(Blake2bDigest d, int v) {
    d.update((byte) v);
    d.update((byte) (v >>> 8));
    d.update((byte) (v >>> 16));
    d.update((byte) (v >>> 24));
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
