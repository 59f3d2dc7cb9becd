package io.onetimeshare.split;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.UploadParts;
import io.onetimeshare.spi.UploadProgress;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The straight path of {@link PartedUploads} (issue 37): a request that carries a whole part from a part's first
 * segment (as {@code ots} and the page send) is gathered in this instance's memory and written to the body store as
 * one part, then appended as moved in one step of the records ({@link UploadParts#appendMoved}): its bytes never pass
 * through the records. Segments need be durable only once the request's sync returns, so a gathering that does not
 * become a whole part is spilled to the records then. A gathering belongs to its request's thread.
 */
final class Gatherer {
  private static final System.Logger LOG = System.getLogger(Gatherer.class.getName());
  private final PartedUploads host;

  Gatherer(PartedUploads host) {
    this.host = host;
  }

  /**
   * A part being gathered in this instance's memory from one request's segments, written straight to the body store
   * once whole (issue 37: the bytes skip the records; what the SPI allows, since segments need be durable only when
   * the request's sync returns, at its end). Holds a mover's permit while it exists.
   */
  private static final class Gathering {
    /** The request's thread: only it adds, writes or spills (another request goes through the records). */
    final Thread owner = Thread.currentThread();
    final PendingUpload upload;
    final String writeId;
    final long from;
    final int k;
    final int number;
    final List<byte[]> segments = new java.util.ArrayList<>();
    long bytes;
    boolean sawLast;

    Gathering(PendingUpload upload, String writeId, long from, int k, int number) {
      this.upload = upload;
      this.writeId = writeId;
      this.from = from;
      this.k = k;
      this.number = number;
    }
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Gathering> gathering =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A gathering for the upload when {@code index} starts a part, the upload has exactly that many segments, all
   * moved, and a mover's permit is free; else null (the segment goes through the records).
   */
  private @org.jspecify.annotations.Nullable Gathering startGathering(String id, long index, int length) {
    int k = host.segmentsPerPart(length);
    if (index % k != 0 || !host.moving.tryAcquire()) {
      return null;
    }
    try {
      Optional<UploadParts.Parts> parts = host.ledger.parts(id);
      Optional<UploadProgress> p = host.records.uploadProgress(id);
      if (parts.isEmpty() || p.isEmpty() || p.get().segments() != index || p.get().sawLast()
          || length != p.get().upload().sealedSegmentBytes() || parts.get().movedSegments() != index) {
        host.moving.release();
        return null;
      }
      UploadParts.Parts ps = parts.get();
      if (ps.writeId() == null) {
        String key = host.keyOf.apply(p.get().upload());
        String w = host.bodies.beginParts(key);
        ps = host.ledger.begin(id, w, k);
        if (!w.equals(ps.writeId())) {
          host.abortQuietly(key, w);
        }
      }
      if (ps.segmentsPerPart() != k || ps.movedSegments() != index) {
        host.moving.release();
        return null;
      }
      Gathering g = new Gathering(p.get().upload(), java.util.Objects.requireNonNull(ps.writeId()), index, k,
          ps.names().size() + 1);
      if (gathering.putIfAbsent(id, g) != null) { // another request of this upload gathers here
        host.moving.release();
        return null;
      }
      return g;
    } catch (IOException | RuntimeException e) {
      host.moving.release(); // the store or the records failed: the segment goes through the records
      host.trouble();
      return null;
    }
  }

  /** Adds a segment to the gathering; writes the part once whole. Returns the count the client is told. */
  private long gather(String id, Gathering g, byte[] segment) {
    int full = g.upload.sealedSegmentBytes();
    if (segment.length > full || segment.length <= 16) {
      spill(id);
      return host.appendHeld(id, g.from + g.segments.size(), segment); // the records refuse it with their message
    }
    synchronized (g) { // read by progress() on other threads
      g.segments.add(segment);
      g.bytes += segment.length;
      g.sawLast = segment.length < full;
    }
    long count = g.from + g.segments.size();
    if (g.segments.size() == g.k) {
      writeGathered(id, g);
    }
    return count;
  }

  /** Writes a whole gathered part straight to the body store and appends it as moved; on failure, spills it. */
  private void writeGathered(String id, Gathering g) {
    if (gathering.get(id) != g) {
      return; // aborted meanwhile
    }
    try {
      String name = host.bodies.writePart(host.keyOf.apply(g.upload), g.writeId, g.number,
          List.copyOf(g.segments)); // the segments as they are: no copy of the part
      boolean ok = host.ledger.appendMoved(id, g.from, g.segments.size(), g.bytes, g.sawLast, g.number, name);
      if (ok) {
        host.straight.set(id);
        if (gathering.remove(id, g)) {
          host.moving.release();
        }
        return;
      }
    } catch (IOException | RuntimeException e) {
      host.trouble();
      LOG.log(System.Logger.Level.WARNING, "Writing an upload's part to the object store failed (its segments go "
          + "through the records instead): {0}", e.getClass().getSimpleName());
    }
    spill(id);
  }

  /**
   * Ends the upload's gathering, if any: its segments go through the records as any others (the records refuse what
   * another request appended meanwhile: the client asks where the upload is and resends).
   */
  void spill(String id) {
    Gathering g = gathering.get(id);
    if (g == null || g.owner != Thread.currentThread() || !gathering.remove(id, g)) {
      return;
    }
    host.moving.release();
    long index = g.from;
    for (byte[] s : g.segments) {
      host.appendHeld(id, index++, s);
    }
  }

  /**
   * Takes the segment into this request's gathering (or starts one) and returns the count the client is told, or -1
   * when the segment goes through the records.
   */
  long append(String id, long index, byte[] segment) {
    Gathering g = gathering.get(id);
    if (g != null && g.owner == Thread.currentThread()) {
      if (index == g.from + g.segments.size() && !g.sawLast && host.clock.instant().isBefore(g.upload.expiresAt())) {
        return gather(id, g, segment);
      }
      spill(id); // out of the gathering's order: the records decide (a resend is ignored, a gap refused)
    } else if (g == null && segment.length > 16) {
      Gathering started = startGathering(id, index, segment.length);
      if (started != null) {
        return gather(id, started, segment);
      }
    }
    return -1;
  }

  /** {@code p}, the records' progress, with the segments this instance gathers for the upload (not yet in the records). */
  Optional<UploadProgress> progress(String id, Optional<UploadProgress> p) {
    Gathering g = gathering.get(id);
    if (p.isEmpty() || g == null || p.get().segments() != g.from) {
      return p;
    }
    synchronized (g) {
      return Optional.of(new UploadProgress(p.get().upload(), g.from + g.segments.size(), p.get().bytes() + g.bytes,
          g.sawLast));
    }
  }

  /** Drops the upload's gathering (an abort): its request's later segments find no upload. */
  void drop(String id) {
    Gathering g = gathering.remove(id);
    if (g != null) {
      host.moving.release();
    }
  }
}
