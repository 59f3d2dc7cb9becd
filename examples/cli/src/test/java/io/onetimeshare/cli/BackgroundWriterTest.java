package io.onetimeshare.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackgroundWriterTest {
  @Test
  void everyByteArrivesInOrderWhateverTheWriteSizes() throws IOException {
    byte[] data = new byte[(7 << 20) / 2 + 12_345]; // 3.5 MiB and change: three hand-overs and a remainder
    new Random(7).nextBytes(data);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    boolean[] closed = {false};
    OutputStream target = new OutputStream() {
      @Override
      public void write(int b) {
        sink.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        sink.write(b, off, len);
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    Random sizes = new Random(11);
    try (BackgroundWriter w = new BackgroundWriter(target)) {
      int at = 0;
      while (at < data.length) {
        int n = Math.min(data.length - at, 1 + sizes.nextInt(300_000));
        if (n == 1) {
          w.write(data[at]);
        } else {
          w.write(data, at, n);
        }
        at += n;
      }
    }
    assertArrayEquals(data, sink.toByteArray());
    assertTrue(closed[0], "the file is closed with the writer");
  }

  @Test
  void aFailedWriteReachesTheCaller() {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    IOException e = assertThrows(IOException.class, () -> {
      try (BackgroundWriter w = new BackgroundWriter(failing)) {
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < 32; i++) { // 8 MiB: the first hand-over's failure surfaces at a later one or at close
          w.write(chunk, 0, chunk.length);
        }
      }
    });
    assertEquals("disk full", e.getMessage());
  }
}
