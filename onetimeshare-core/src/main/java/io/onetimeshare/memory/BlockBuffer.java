package io.onetimeshare.memory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The memory vault's body buffer: blocks of 4 KiB doubling to 64 KiB, never copied, each taken from the vault's byte
 * budget before it is allocated, so uploads in flight count as much as stored secrets. Not thread-safe: one writer.
 */
/**
 * A buffer of blocks (4 KiB doubling to 64 KiB, never copied), each taken from the budget before it is allocated.
 */
final class BlockBuffer extends OutputStream {
private final java.util.function.LongConsumer take;
private final java.util.concurrent.atomic.AtomicLong used;
  private final java.util.ArrayList<byte[]> blocks = new java.util.ArrayList<>();
  private int last; // bytes used in the last block
  private long reserved;

  /** {@code take} takes bytes from the vault's budget or throws; {@code used} is the budget's count. */
  BlockBuffer(java.util.function.LongConsumer take, java.util.concurrent.atomic.AtomicLong used) {
    this.take = take;
    this.used = used;
  }

  long reserved() {
    return reserved;
  }

  int last() {
    return last;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (blocks.isEmpty() || last == blocks.get(blocks.size() - 1).length) {
        int size = blocks.isEmpty() ? 4096 : Math.min(64 * 1024, blocks.get(blocks.size() - 1).length * 2);
        take.accept(size);
        reserved += size;
        blocks.add(new byte[size]);
        last = 0;
      }
      byte[] block = blocks.get(blocks.size() - 1);
      int n = Math.min(len, block.length - last);
      System.arraycopy(b, off, block, last, n);
      last += n;
      off += n;
      len -= n;
    }
  }

  /** Writes all of {@code b}, or, when the budget runs out, nothing (blocks taken for it are given back). */
  void writeAllOrNothing(byte[] b) {
    int blockCount = blocks.size();
    int lastBefore = last;
    long reservedBefore = reserved;
    try {
      write(b, 0, b.length);
    } catch (RuntimeException e) {
      while (blocks.size() > blockCount) {
        blocks.remove(blocks.size() - 1);
      }
      last = lastBefore;
      used.addAndGet(-(reserved - reservedBefore));
      reserved = reservedBefore;
      throw e;
    }
  }

  byte[][] blocks() {
    return blocks.toArray(new byte[0][]);
  }

  void wipe() {
    blocks.forEach(x -> Arrays.fill(x, (byte) 0));
  }

  /** Reads the blocks of a stored body in order. */
  static long length(byte[][] blocks, int last) {
    long n = 0;
    for (int i = 0; i < blocks.length; i++) {
      n += i == blocks.length - 1 ? last : blocks[i].length;
    }
    return n;
  }

  static InputStream read(byte[][] blocks, int last) {
    java.util.List<InputStream> parts = new java.util.ArrayList<>(blocks.length);
    for (int i = 0; i < blocks.length; i++) {
      parts.add(new ByteArrayInputStream(blocks[i], 0, i == blocks.length - 1 ? last : blocks[i].length));
    }
    return new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
  }
}
