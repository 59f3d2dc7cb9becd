package io.onetimeshare.internal;

import io.onetimeshare.IntegrityException;
import io.onetimeshare.SecretKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The sealed metadata that precedes the content inside the plaintext stream: kind, filename, content type. Sealed
 * like the content, so the server never sees a filename either.
 */
public record PlaintextPrefix(SecretKind kind, @Nullable String filename, @Nullable String contentType) {
  static final int TEXT = 1;
  static final int FILE = 2;

  public byte[] encode() {
    ByteArrayOutputStream o = new ByteArrayOutputStream(64);
    o.write(kind == SecretKind.TEXT ? TEXT : FILE);
    writeString(o, filename);
    writeString(o, contentType);
    return o.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream o, @Nullable String s) {
    byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    o.write(b.length >>> 8);
    o.write(b.length & 0xff);
    o.write(b, 0, b.length);
  }

  /** Reads the prefix; the caller then checks that at least one byte of content follows (the format requires it). */
  public static PlaintextPrefix read(InputStream in) throws IOException {
    int k = in.read();
    if (k != TEXT && k != FILE) {
      throw new IntegrityException("The sealed metadata is malformed.");
    }
    return new PlaintextPrefix(k == TEXT ? SecretKind.TEXT : SecretKind.FILE, readString(in), readString(in));
  }

  private static @Nullable String readString(InputStream in) throws IOException {
    int hi = in.read();
    int lo = in.read();
    if (hi < 0 || lo < 0) {
      throw new IntegrityException("The sealed metadata is truncated.");
    }
    int n = (hi << 8) | lo;
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IntegrityException("The sealed metadata is truncated.");
    }
    if (n == 0) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IntegrityException("The sealed metadata is not valid UTF-8.");
    }
  }
}
