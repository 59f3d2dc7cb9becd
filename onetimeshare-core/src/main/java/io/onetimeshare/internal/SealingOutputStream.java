package io.onetimeshare.internal;

import io.onetimeshare.spi.Cipher;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Takes plaintext, writes sealed segments (STREAM construction): every full segment is sealed as soon as more
 * plaintext follows it; {@link #close()} seals the final segment with the last-segment flag. Holds one segment of
 * plaintext and one of ciphertext, whatever the total size. Closing does not close the sink.
 */
final class SealingOutputStream extends OutputStream {
  private static final long MAX_SEGMENTS = 0xffffffffL;
  private final Cipher.Session session;
  private final byte[] prefix;
  private final byte[] aad;
  private final OutputStream sink;
  private final int segmentSize;
  private byte[] buf;
  private byte[] sealed;
  private final byte[] nonce = new byte[Cipher.NONCE_LENGTH];
  private int pos;
  private long index;
  private boolean closed;

  SealingOutputStream(Cipher.Session session, byte[] prefix, byte[] aad, int segmentSize, OutputStream sink) {
    this.session = session;
    this.prefix = prefix.clone();
    this.aad = aad;
    this.sink = sink;
    this.segmentSize = segmentSize;
    // buffers grow to the segment size only when the content needs it: small secrets stay cheap
    this.buf = new byte[Math.min(segmentSize, 4096)];
    this.sealed = new byte[0];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      if (pos == segmentSize) {
        flushSegment(false);
      }
      if (pos == buf.length) {
        byte[] bigger = java.util.Arrays.copyOf(buf, (int) Math.min(segmentSize, Math.max(buf.length * 2L,
            pos + (long) len)));
        Bytes.wipe(buf);
        buf = bigger;
      }
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(b, off, buf, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  private void flushSegment(boolean last) throws IOException {
    if (index >= MAX_SEGMENTS) {
      throw new IOException("too many segments");
    }
    KeySchedule.nonce(prefix, index++, last, nonce);
    if (sealed.length < pos + Cipher.TAG_LENGTH) {
      sealed = new byte[pos + Cipher.TAG_LENGTH];
    }
    int n = session.seal(nonce, aad, buf, 0, pos, sealed, 0);
    sink.write(sealed, 0, n);
    pos = 0;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      flushSegment(true);
      closed = true;
      Bytes.wipe(buf);
      session.close();
    }
  }
}
