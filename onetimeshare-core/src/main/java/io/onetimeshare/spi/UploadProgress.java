package io.onetimeshare.spi;

import io.onetimeshare.UploadConflictException;
import java.util.Objects;

/**
 * How far an upload has come: the segments stored, in order from 0, and their bytes. A client that lost its
 * connection resumes at segment {@code segments}.
 *
 * @param upload what the upload was started with
 * @param segments sealed segments stored (0 to n)
 * @param bytes their total size
 * @param sawLast whether a segment shorter than a full one arrived, which can only be the last
 * @since 0.2
 */
public record UploadProgress(PendingUpload upload, long segments, long bytes, boolean sawLast) {
  public UploadProgress {
    Objects.requireNonNull(upload, "upload");
  }

  /** No segment yet. */
  public static UploadProgress start(PendingUpload upload) {
    return new UploadProgress(upload, 0, 0, false);
  }

  /**
   * The progress after appending segment {@code index} of {@code length} bytes: this same progress when the segment
   * is already stored (a resend), the next one when it is the expected segment of a valid size.
   *
   * @throws UploadConflictException out of order, after the last segment, or of a size neither full nor last
   */
  public UploadProgress append(long index, int length) {
    if (index < segments) {
      return this;
    }
    if (sawLast) {
      throw new UploadConflictException("The upload already has its last segment; finish it.", -1);
    }
    if (index > segments) {
      throw new UploadConflictException("Segments go in order: the next one expected is " + segments + ".", segments);
    }
    int full = upload.sealedSegmentBytes();
    if (length > full || length <= 16) {
      throw new UploadConflictException("A sealed segment is " + full + " bytes, the last one 17 to " + full
          + "; this one is " + length + ".", segments);
    }
    return new UploadProgress(upload, segments + 1, bytes + length, length < full);
  }
}
