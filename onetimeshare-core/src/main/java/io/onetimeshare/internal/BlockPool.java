package io.onetimeshare.internal;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2 memories kept for the next derivation of the same size, at most one per core (the KDF gate's default
 * concurrency), softly referenced so the collector takes them back when the heap runs short. Allocating 64 MiB of
 * 1 KiB blocks per derivation cost the collector about 10% of a loaded passphrase flow's time (young collections
 * copying the blocks of derivations in progress). Memories are wiped before they are given back.
 */
final class BlockPool {
  private static final int MAX = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ConcurrentLinkedQueue<SoftReference<long[][]>> FREE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger SIZE = new AtomicInteger();

  private BlockPool() {}

  /** A memory of {@code blocks} blocks of {@code blockLongs} words: a kept one when its size matches, else new. */
  static long[][] take(int blocks, int blockLongs) {
    SoftReference<long[][]> ref;
    while ((ref = FREE.poll()) != null) {
      SIZE.decrementAndGet();
      long[][] m = ref.get();
      if (m != null && m.length == blocks) {
        return m;
      }
      // another size (a different cost) or collected: drop it
    }
    long[][] m = new long[blocks][];
    for (int i = 0; i < blocks; i++) {
      m[i] = new long[blockLongs];
    }
    return m;
  }

  /** Whether a memory of {@code blocks} blocks is kept (for tests). */
  static boolean holds(int blocks) {
    for (SoftReference<long[][]> ref : FREE) {
      long[][] m = ref.get();
      if (m != null && m.length == blocks) {
        return true;
      }
    }
    return false;
  }

  /** Keeps a wiped memory for later, unless {@code MAX} are kept already. */
  static void give(long[][] wiped) {
    if (SIZE.incrementAndGet() <= MAX) {
      FREE.offer(new SoftReference<>(wiped));
    } else {
      SIZE.decrementAndGet();
    }
  }
}
