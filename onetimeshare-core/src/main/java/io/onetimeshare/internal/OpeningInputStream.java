package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads sealed segments, returns plaintext. A segment's plaintext is released only after its tag verified; a
 * truncated, extended, re-ordered or modified stream ends in {@link IntegrityException} at the first bad segment.
 */
final class OpeningInputStream extends InputStream {
  private final InputStream in;
  private final Cipher.Session session;
  private final byte[] prefix;
  private final byte[] aad;
  private final int chunkSize;
  private byte[] chunk;
  private byte[] plain;
  private final byte[] nonce = new byte[Cipher.NONCE_LENGTH];
  private int plainPos;
  private int plainLen;
  private long index;
  private int lookahead = -1;
  private boolean finished;
  private boolean closed;

  OpeningInputStream(InputStream in, Cipher.Session session, byte[] prefix, byte[] aad, int segmentSize) {
    this.in = in;
    this.session = session;
    this.prefix = prefix.clone();
    this.aad = aad;
    this.chunkSize = segmentSize + Cipher.TAG_LENGTH;
    // grown on demand up to one segment, so opening a small secret does not allocate a whole segment
    this.chunk = new byte[Math.min(chunkSize, 8192)];
    this.plain = new byte[0];
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (plainPos == plainLen) {
      if (finished) {
        return -1;
      }
      nextSegment();
    }
    int n = Math.min(len, plainLen - plainPos);
    System.arraycopy(plain, plainPos, b, off, n);
    plainPos += n;
    return n;
  }

  /**
   * Writes each verified segment straight from the plaintext buffer, which is wiped on close: no copy through a
   * buffer of the JDK's that nobody wipes, and no allocation per call.
   */
  @Override
  public long transferTo(OutputStream out) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    long total = 0;
    while (true) {
      if (plainPos < plainLen) {
        int n = plainLen - plainPos;
        out.write(plain, plainPos, n);
        plainPos = plainLen;
        total += n;
      }
      if (finished) {
        return total;
      }
      nextSegment();
    }
  }

  private void nextSegment() throws IOException {
    int have = 0;
    if (lookahead >= 0) {
      chunk[0] = (byte) lookahead;
      have = 1;
      lookahead = -1;
    }
    while (true) {
      int n = in.readNBytes(chunk, have, chunk.length - have);
      have += n;
      if (have < chunk.length || chunk.length == chunkSize) {
        break;
      }
      chunk = java.util.Arrays.copyOf(chunk, Math.min(chunkSize, chunk.length * 4));
    }
    boolean last;
    if (have < chunkSize) {
      last = true;
    } else {
      int next = in.read();
      last = next < 0;
      lookahead = next;
    }
    if (have < Cipher.TAG_LENGTH) {
      throw new IntegrityException("The sealed content is truncated.");
    }
    if (have == Cipher.TAG_LENGTH) {
      // writers never emit a segment without plaintext (format.md): a reader refuses one, even when it authenticates
      throw new IntegrityException("The sealed content has an empty segment, which the format does not allow.");
    }
    KeySchedule.nonce(prefix, index, last, nonce);
    if (plain.length < have - Cipher.TAG_LENGTH) {
      Bytes.wipe(plain);
      plain = new byte[have - Cipher.TAG_LENGTH];
    }
    try {
      plainLen = session.open(nonce, aad, chunk, 0, have, plain, 0);
    } catch (IntegrityException e) {
      throw new IntegrityException("The sealed content failed authentication at segment " + index
          + ": it was corrupted, truncated or tampered with.");
    }
    index++;
    plainPos = 0;
    finished = last;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Bytes.wipe(plain);
      session.close();
      in.close();
    }
  }
}
