package io.onetimeshare.servlet.internal;

import io.onetimeshare.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A streaming multipart/form-data reader (RFC 7578): parts are read one after the other straight from the request
 * stream, so no body is ever held whole in memory or written to disk. Each part's body must be read (or skipped)
 * before asking for the next.
 */
public final class MultipartReader {
  private static final int MAX_HEADER_BYTES = 8 * 1024;
  private static final int MIN_BUFFER = 16 * 1024; // holds the largest part headers allowed, and a delimiter
  private static final int MAX_BUFFER = 64 * 1024;
  private final InputStream in;
  private final byte[] delimiter; // CRLF--boundary
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean finished;
  private @Nullable PartStream current;
  /** Horspool shifts for {@link #delimiter}: on random data the search looks at one byte in about forty. */
  private final int[] shift = new int[256];
  /** No delimiter starts in {@code [start, scanned)}: part reads never rescan what an earlier read checked. */
  private int scanned;

  public MultipartReader(InputStream in, String boundary) {
    this(in, boundary, -1);
  }

  /**
   * A reader whose buffer fits a body of {@code contentLength} bytes (-1 when unknown): the whole body when it is under
   * 16 KiB (at least 1 KiB), else between 16 and 64 KiB, so a small form does not allocate and zero more than it needs.
   */
  public MultipartReader(InputStream in, String boundary, long contentLength) {
    // a body that fits whole needs no room beyond itself (its part headers cannot be longer than it); a larger one
    // gets at least MIN_BUFFER, which holds the longest part headers allowed and a delimiter
    long size = contentLength < 0 ? MAX_BUFFER
        : contentLength < MIN_BUFFER ? Math.max(1024, contentLength + 1) : Math.min(MAX_BUFFER, contentLength + 1);
    this.buf = new byte[(int) size];
    if (boundary.isEmpty() || boundary.length() > 70) {
      throw new InvalidArgumentException("The multipart boundary is missing or longer than 70 characters.");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Arrays.fill(shift, delimiter.length);
    for (int i = 0; i < delimiter.length - 1; i++) {
      shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
    }
  }

  /** Where the next delimiter starts in {@code buf[from, end)}, or -1; records how far it looked in {@link #scanned}. */
  private int findDelimiter(int from) {
    byte[] p = delimiter;
    int last = p.length - 1;
    int i = from;
    while (i <= end - p.length) {
      byte c = buf[i + last];
      if (c == p[last]) {
        int j = last - 1;
        while (j >= 0 && buf[i + j] == p[j]) {
          j--;
        }
        if (j < 0) {
          scanned = i;
          return i;
        }
      }
      i += shift[c & 0xff];
    }
    scanned = i;
    return -1;
  }

  /** Extracts the boundary parameter of a multipart/form-data content type. */
  public static String boundaryOf(String contentType) {
    String b = HeaderParams.parse(contentType).get("boundary");
    if (b == null || b.isEmpty() || b.length() > 70) {
      throw new InvalidArgumentException("The multipart content type has no valid boundary.");
    }
    return b;
  }

  /** A part: its form field name, optional filename, and its body as a stream. */
  public record Part(String name, @Nullable String filename, InputStream body) {}

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scanned = Math.max(0, scanned - start);
      start = 0;
    }
    if (end == buf.length) {
      return true;
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
      return false;
    }
    end += n;
    return true;
  }

  private int indexOf(byte[] pat, int from) {
    byte first = pat[0];
    outer:
    for (int i = from; i <= end - pat.length; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < pat.length; j++) {
        if (buf[i + j] != pat[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static InvalidArgumentException malformed(String why) {
    return new InvalidArgumentException("The multipart body is malformed: " + why + ".");
  }

  /** The next part, or null after the closing delimiter. */
  public @Nullable Part next() throws IOException {
    if (current != null) {
      current.skipRest();
      current = null;
    } else if (!finished && start == 0 && end == 0) {
      // first call: expect --boundary (the preamble before it is ignored)
      byte[] first = Arrays.copyOfRange(delimiter, 2, delimiter.length);
      while (true) {
        int i = indexOf(first, start);
        if (i >= 0) {
          start = i + first.length;
          break;
        }
        if (end - start > MAX_HEADER_BYTES || end - start == buf.length || !fill()) {
          throw malformed("no opening boundary");
        }
      }
    }
    if (finished) {
      return null;
    }
    // after a delimiter: "--" ends the body, CRLF starts a part
    while (end - start < 2) {
      if (!fill()) {
        throw malformed("it ends without a closing boundary");
      }
    }
    if (buf[start] == '-' && buf[start + 1] == '-') {
      finished = true;
      return null;
    }
    if (buf[start] != '\r' || buf[start + 1] != '\n') {
      throw malformed("a boundary is not followed by a line break");
    }
    start += 2;
    byte[] crlf2 = {'\r', '\n', '\r', '\n'};
    int h;
    while ((h = indexOf(crlf2, start)) < 0) {
      if (end - start > MAX_HEADER_BYTES || end - start == buf.length) {
        // the second: a buffer sized to a declared length is full, so the body is longer than declared
        throw malformed("part headers are longer than 8 KiB");
      }
      if (!fill()) {
        throw malformed("it ends inside part headers");
      }
    }
    String headers = new String(buf, start, h - start, StandardCharsets.UTF_8);
    start = h + 4;
    String name = null;
    String filename = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
        java.util.Map<String, String> params = HeaderParams.parse(line.substring(colon + 1));
        name = params.get("name");
        filename = HeaderParams.get(params, "filename");
      }
    }
    if (name == null) {
      throw malformed("a part has no Content-Disposition name");
    }
    current = new PartStream();
    return new Part(name, filename, current);
  }

  private final class PartStream extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return advance(b, off, len);
    }

    /** Moves past up to {@code len} bytes of the part, copying them into {@code b} unless it is null. */
    private int advance(byte @Nullable [] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        int i = findDelimiter(Math.max(start, scanned));
        if (i == start) {
          start += delimiter.length;
          done = true;
          return -1;
        }
        int safe = i >= 0 ? i : end - delimiter.length + 1;
        if (safe > start) {
          int n = Math.min(len, safe - start);
          if (b != null) {
            System.arraycopy(buf, start, b, off, n);
          }
          start += n;
          return n;
        }
        if (!fill()) {
          throw malformed("it ends inside a part");
        }
      }
    }

    /** Skips what is left of the part within the buffer, without copying it anywhere. */
    void skipRest() throws IOException {
      while (advance(null, 0, Integer.MAX_VALUE) >= 0) {
        // discard
      }
    }
  }
}
