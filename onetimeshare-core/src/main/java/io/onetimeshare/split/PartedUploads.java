package io.onetimeshare.split;

import io.onetimeshare.OverloadedException;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.UploadParts;
import io.onetimeshare.spi.UploadProgress;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Uploads whose segments move to the body store while they go on (issue 37): the records' vault appends each segment
 * as before (in order, resends ignored, counted); every {@code k} segments make a part of a write in parts (an S3
 * multipart upload), moved by whichever instance stores the part's last segment (or, when that failed, the next
 * request's end), on a mover thread while the client sends on (in the request itself once the upload lags two parts
 * behind, so a slow store slows the client instead of filling the records), and recorded with the part's name in the
 * records' ledger, which drops the moved segments. So the records hold at most a part or two of any upload, and the write id and part names sit with the upload's record:
 * any instance continues any upload, and one that dies loses nothing the client was told is stored.
 *
 * <p>Finishing moves the rest as the last part, completes the write under the body's key and only then finishes the
 * upload in the records (replica-acknowledged there): no record ever names a body that is not complete. A finish
 * that completed the write but not the record is sent again by the client: the write is found complete and the record
 * finished. An abort drops the write; a write whose upload was dropped for idleness is aborted by the sweeper once its
 * key's deadline passed (at the latest a day after it began).
 */
final class PartedUploads {
  private static final System.Logger LOG = System.getLogger(PartedUploads.class.getName());
  private static final int MAX_PARTS = 10_000;
  private static final long TROUBLE_NANOS = TimeUnit.SECONDS.toNanos(30);

  final SecretVault records;
  final UploadParts ledger;
  final BodyStore bodies;
  final Function<PendingUpload, String> keyOf;
  private final int partSize;
  private final long largestBody;
  final Semaphore moving;
  final java.time.Clock clock;
  /** Threads that move parts while the client sends on; as many as parts may move at once. */
  private final java.util.concurrent.ThreadPoolExecutor movers;
  /** Uploads a mover of this instance is moving now. */
  private final java.util.Set<String> movingHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Until when (nanoTime) every append checks how far its upload's moves lag: set by a failed move. */
  private volatile long troubleUntil = System.nanoTime();
  private final Gatherer gatherer = new Gatherer(this);
  /**
   * The upload whose segments, in this thread's request so far, all went straight to the body store (set by the
   * gatherer when it writes a part; cleared by any segment held by the records and at the request's end).
   */
  final ThreadLocal<String> straight = new ThreadLocal<>();

  /** A move or a straight write failed: appends check their lag for a while. */
  void trouble() {
    troubleUntil = System.nanoTime() + TROUBLE_NANOS;
  }

  PartedUploads(SecretVault records, UploadParts ledger, BodyStore bodies, Function<PendingUpload, String> keyOf,
      int partSize, long largestBody, int movesAtOnce, java.time.Clock clock) {
    this.clock = clock;
    this.records = records;
    this.ledger = ledger;
    this.bodies = bodies;
    this.keyOf = keyOf;
    this.partSize = Math.max(partSize, bodies.minPartSize());
    this.largestBody = largestBody;
    this.moving = new Semaphore(movesAtOnce);
    this.movers = new java.util.concurrent.ThreadPoolExecutor(movesAtOnce, movesAtOnce, 30, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "onetimeshare-part-mover");
          t.setDaemon(true);
          return t;
        });
    movers.allowCoreThreadTimeOut(true);
  }

  /**
   * Segments per part for segments of {@code sealed} bytes: as many as fit in the part size (at least the store's
   * least part), and enough that the largest body fits in 10,000 parts.
   */
  int segmentsPerPart(int sealed) {
    // whole segments within the part size (as the API's maxRequestBytes counts them, so a client's request of that
    // size is one whole part, written straight to the store), but never below the store's least part
    long k = Math.max(partSize / sealed, ceilDiv(bodies.minPartSize(), sealed));
    k = Math.max(k, ceilDiv(ceilDiv(largestBody, sealed), MAX_PARTS));
    return (int) Math.max(1, Math.min(k, Integer.MAX_VALUE / Math.max(1, sealed)));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  long append(String id, long index, byte[] segment) {
    long n = gatherer.append(id, index, segment);
    return n >= 0 ? n : appendHeld(id, index, segment);
  }

  /** Appends a segment through the records, moving parts of what they hold as they become due. */
  long appendHeld(String id, long index, byte[] segment) {
    straight.remove();
    long n = records.appendSegment(id, index, segment);
    boolean fresh = index == n - 1;
    int k = segmentsPerPart(segment.length);
    if ((fresh && n % k == 0) || System.nanoTime() - troubleUntil < 0) {
      // a part is due (or a move failed lately): move in the background while the client sends on, unless this
      // upload lags two parts behind; then move here, so the request waits (and fails while the store does)
      Optional<UploadParts.Parts> parts = ledger.parts(id);
      if (parts.isPresent()) {
        int per = parts.get().writeId() == null ? k : parts.get().segmentsPerPart();
        if (n - parts.get().movedSegments() >= 2L * per) {
          awaitLocalMove(id);
          moveDue(id, n);
        } else if (fresh && n % k == 0) {
          moveLater(id, n);
        }
      }
    }
    return n;
  }

  /** Moves what is due on a mover thread, unless one moves this upload already or none is free (then later). */
  private void moveLater(String id, long stored) {
    if (!movingHere.add(id)) {
      return;
    }
    try {
      movers.execute(() -> {
        try {
          moveDue(id, stored);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "Moving an upload's part to the object store failed (tried again "
              + "with its next segments): {0}", e.getClass().getSimpleName());
        } finally {
          movingHere.remove(id);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException busy) {
      movingHere.remove(id); // every mover is busy: the next part, the request's end or the lag check moves it
    }
  }

  /** Waits (at most a minute) until no mover of this instance moves the upload. */
  private void awaitLocalMove(String id) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (movingHere.contains(id) && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void close() {
    movers.shutdownNow();
  }

  private static StoreUnavailableException lagging(Throwable cause) {
    return SplitVault.unavailable("The object store could not take the upload's parts; the segments stored so far "
        + "are kept: resume the upload shortly.", cause, StoreUnavailableException.Effect.UNKNOWN);
  }

  /** The records' progress, with the segments this instance gathers for the upload (not yet in the records). */
  Optional<UploadProgress> progress(String id) {
    return gatherer.progress(id, records.uploadProgress(id));
  }

  /** At the end of every append request: whatever is due and was not moved yet (a move that failed before). */
  void sync(String id) {
    gatherer.spill(id); // a part the request did not complete: its segments are held by the records, durable before we answer
    // a request whose every segment went straight to the body store began with nothing held (a gathering starts only
    // then) and held nothing since: no part is due, and two reads of the records are saved
    boolean onlyStraight = id.equals(straight.get());
    straight.remove();
    records.syncUpload(id);
    if (!onlyStraight && !movingHere.contains(id)) { // a mover of this instance is at it already
      records.uploadProgress(id).ifPresent(p -> moveDue(id, p.segments()));
    }
  }

  /**
   * Moves every whole part the upload has stored, {@code stored} segments. A failure leaves the segments in the
   * records (a later request moves them) unless the upload lags by two parts or more: then the request fails (503,
   * the segments it stored are kept and counted), so the records never hold more than about three parts of it.
   */
  private void moveDue(String id, long stored) {
    Optional<UploadParts.Parts> now = ledger.parts(id);
    if (now.isEmpty()) {
      return;
    }
    UploadParts.Parts parts = now.get();
    PendingUpload u = null;
    try {
      while (true) {
        int k = parts.writeId() == null ? 0 : parts.segmentsPerPart();
        if (k == 0) {
          if (u == null) {
            u = records.uploadProgress(id).map(UploadProgress::upload).orElse(null);
            if (u == null) {
              return;
            }
          }
          k = segmentsPerPart(u.sealedSegmentBytes());
        }
        if (stored - parts.movedSegments() < k) {
          return;
        }
        if (u == null) {
          u = records.uploadProgress(id).map(UploadProgress::upload).orElse(null);
          if (u == null) {
            return;
          }
        }
        parts = movePart(id, u, parts, k);
      }
    } catch (SecretNotFoundException gone) {
      // finished, aborted or dropped meanwhile: nothing to move
    } catch (IOException | RuntimeException e) {
      troubleUntil = System.nanoTime() + TROUBLE_NANOS;
      int k = parts.writeId() == null ? (u == null ? 1 : segmentsPerPart(u.sealedSegmentBytes()))
          : parts.segmentsPerPart();
      if (stored - parts.movedSegments() >= 2L * k) {
        throw lagging(e);
      }
      LOG.log(System.Logger.Level.WARNING, "Moving an upload's part to the object store failed (tried again with "
          + "its next segments): {0}", e.getClass().getSimpleName());
    }
  }

  /**
   * Moves the next part (of at most {@code k} segments; fewer only as the last part), naming the write first when
   * the upload has none. Returns the ledger afterwards.
   */
  private UploadParts.Parts movePart(String id, PendingUpload u, UploadParts.Parts parts, int k) throws IOException {
    String key = keyOf.apply(u);
    if (parts.writeId() == null) {
      String w = bodies.beginParts(key);
      parts = ledger.begin(id, w, k);
      if (!w.equals(parts.writeId())) { // another instance named its write first
        abortQuietly(key, w);
      }
      return parts; // its k may differ: the caller looks again
    }
    long stored = records.uploadProgress(id).map(UploadProgress::segments).orElseThrow(SecretNotFoundException::new);
    long from = parts.movedSegments();
    int count = (int) Math.min(parts.segmentsPerPart(), stored - from);
    if (count <= 0) {
      return parts;
    }
    int number = parts.names().size() + 1;
    if (number > MAX_PARTS) {
      throw new UploadConflictException("The upload is larger than 10,000 parts allow.", -1);
    }
    acquire();
    String name;
    try {
      List<byte[]> segs;
      try {
        segs = ledger.segments(id, from, count);
      } catch (SecretNotFoundException moved) {
        // another instance moved this part meanwhile (or the upload ended): the ledger says which
        return ledger.parts(id).orElseThrow(SecretNotFoundException::new);
      }
      int size = 0;
      for (byte[] s : segs) {
        size += s.length;
      }
      byte[] data = new byte[size];
      int at = 0;
      for (int i = 0; i < segs.size(); i++) {
        byte[] s = segs.set(i, null);
        System.arraycopy(s, 0, data, at, s.length);
        at += s.length;
      }
      name = bodies.writePart(key, parts.writeId(), number, data);
    } finally {
      moving.release();
    }
    return ledger.moved(id, number, name, from + count);
  }

  private void acquire() {
    try {
      if (!moving.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new OverloadedException("Too many upload parts are moving to the object store at once; retry shortly.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OverloadedException("Interrupted while waiting to move an upload's part.");
    }
  }

  /** Moves the rest, completes the write under the body's key, then finishes the upload in the records. */
  void finish(String id, byte[] header) {
    gatherer.spill(id);
    awaitLocalMove(id);
    UploadProgress p = records.uploadProgress(id).orElseThrow(SecretNotFoundException::new);
    if (p.segments() == 0) {
      records.finishUpload(id, header); // refuses it, with the records' own message
      return;
    }
    String key = keyOf.apply(p.upload());
    UploadParts.Parts parts = ledger.parts(id).orElseThrow(SecretNotFoundException::new);
    try {
      while (parts.writeId() == null || parts.movedSegments() < p.segments()) {
        int k = parts.writeId() == null ? segmentsPerPart(p.upload().sealedSegmentBytes()) : parts.segmentsPerPart();
        parts = movePart(id, p.upload(), parts, k);
      }
      bodies.completeParts(key, parts.writeId(), parts.names());
    } catch (SecretNotFoundException | UploadConflictException | OverloadedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (!complete(key)) { // a finish sent again after the write was completed finds it so
        throw SplitVault.unavailable("The object store could not store the upload's body; it was not finished: send "
            + "the finish again shortly.", e, StoreUnavailableException.Effect.NOT_STORED);
      }
    }
    records.finishUpload(id, header);
  }

  private boolean complete(String key) {
    try {
      Optional<BodyStore.Body> b = bodies.read(key);
      if (b.isPresent()) {
        b.get().stream().close();
        return true;
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  boolean abort(String id) {
    gatherer.drop(id);
    awaitLocalMove(id); // so the write a mover is naming is known here
    Optional<UploadProgress> p = records.uploadProgress(id);
    Optional<UploadParts.Parts> parts = ledger.parts(id);
    boolean aborted = records.abortUpload(id);
    if (p.isPresent() && parts.isPresent() && parts.get().writeId() != null) {
      abortQuietly(keyOf.apply(p.get().upload()), parts.get().writeId());
    }
    return aborted;
  }

  /** Drops a write; one that cannot be dropped now is aborted by the sweeper (its key's deadline, or a day). */
  void abortQuietly(String key, String writeId) {
    try {
      bodies.abortParts(key, writeId);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Aborting an upload's write in the object store failed (the sweeper "
          + "aborts it later): {0}", e.getClass().getSimpleName());
    }
  }
}
