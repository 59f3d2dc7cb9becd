package io.onetimeshare.spi;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An upload's ledger of parts (issue 37): a records' vault with this capability ({@link SecretVault#uploadParts()})
 * lets a {@link io.onetimeshare.split.SplitVault} move an unfinished upload's segments to a {@link BodyStore} as
 * parts of a write in parts (an S3 multipart upload) while the upload goes on. The vault keeps, with the upload, the
 * body store's write id and each part's name (an S3 ETag); it holds only the segments not yet moved, so an upload
 * costs the records' store at most a part or two, and any instance sharing the store continues any upload.
 *
 * <p>Parts are fixed runs of {@link Parts#segmentsPerPart()} segments: part {@code p} (from 1) is segments {@code
 * (p-1)*k} to {@code p*k-1}, so two instances that move the same part write the same bytes. Every method is atomic
 * across instances. The vault's upload methods ({@link SecretVault#appendSegment}, {@link SecretVault#uploadProgress},
 * {@link SecretVault#finishUpload}, {@link SecretVault#abortUpload}) keep counting every segment, moved or not; a
 * finished upload whose segments were all moved has no body in the records, only its record. A request that carries a
 * whole part from a part's first segment may skip the records for its bytes ({@link #appendMoved}).
 *
 * @since 0.3
 */
public interface UploadParts {
  /** How the upload's parts stand; empty when there is no such unfinished upload. */
  Optional<Parts> parts(String id);

  /**
   * Names the write in parts that the upload's segments move to, unless one is named already; returns the parts as
   * they stand afterwards (with the write that holds, maybe another caller's).
   *
   * @throws io.onetimeshare.SecretNotFoundException there is no such upload
   */
  Parts begin(String id, String writeId, int segmentsPerPart);

  /**
   * The stored segments {@code from} to {@code from + count - 1}, in order.
   *
   * @throws io.onetimeshare.SecretNotFoundException the upload is gone, or one of them was moved already
   */
  List<byte[]> segments(String id, long from, int count);

  /**
   * Records part {@code number}, named {@code name}, as holding every segment before {@code through}, and drops those
   * segments from the records, only when {@code number} is the next part; returns the parts afterwards (unchanged
   * when another caller recorded that part first).
   *
   * @throws io.onetimeshare.SecretNotFoundException there is no such upload
   */
  Parts moved(String id, int number, String name, long through);

  /**
   * Appends segments {@code from} to {@code from + count - 1} ({@code bytes} in all; {@code last} when the last of them
   * is the upload's short last segment) that were written straight into part {@code number}, named {@code name},
   * without holding them first, only when the upload has exactly {@code from} segments, all of them moved, and {@code
   * number} is its next part; returns whether it did (false: another request appended meanwhile; nothing changed).
   *
   * @throws io.onetimeshare.SecretNotFoundException there is no such upload
   */
  boolean appendMoved(String id, long from, int count, long bytes, boolean last, int number, String name);

  /**
   * An upload's parts.
   *
   * @param writeId the body store's write, or null before the first part
   * @param segmentsPerPart segments in every part but the last (0 before the first part)
   * @param movedSegments segments moved to parts (every one before this index)
   * @param names the parts' names, part 1 first
   */
  record Parts(@Nullable String writeId, int segmentsPerPart, long movedSegments, List<String> names) {
    /** No part yet. */
    public static final Parts NONE = new Parts(null, 0, 0, List.of());

    public Parts {
      names = List.copyOf(names);
    }
  }
}
