package io.onetimeshare;

/**
 * An upload request does not fit the upload's state: a segment out of order, a segment after the last one, a
 * segment of the wrong size, or a finish without segments. Nothing was stored; {@link #expectedSegment()} tells
 * where to resume.
 *
 * @since 0.2
 */
public final class UploadConflictException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;
  private final long expectedSegment;

  public UploadConflictException(String message, long expectedSegment) {
    super(message);
    this.expectedSegment = expectedSegment;
  }

  /** The index of the next segment the upload accepts, or -1 when it accepts none. */
  public long expectedSegment() {
    return expectedSegment;
  }
}
