package io.onetimeshare;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.internal.Sealer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The facade's operations for secrets sealed by their clients (the web page, the command-line client): uploads in
 * segments, and opening by proof of the key, which hands out the envelope unopened. Package-private; {@link
 * OneTimeShare} exposes them.
 */
final class ClientSealing {
  private final Notifying notifying;
  /** Room for the plaintext prefix (kind, filename, content type) besides the content. */
  private static final long PREFIX_ALLOWANCE = 1 + 2 + 255 + 2 + 255;

  private final OneTimeShare.Settings settings;
  private final SecretVault vault;
  private final Sealer sealer;
  private final Clock clock;
  private final SecureRandom random;
  private final ShareEvents events;

  ClientSealing(OneTimeShare.Settings settings, SecretVault vault, Sealer sealer, Clock clock, SecureRandom random,
      ShareEvents events, Notifying notifying) {
    this.notifying = notifying;
    this.settings = settings;
    this.vault = vault;
    this.sealer = sealer;
    this.clock = clock;
    this.random = random;
    this.events = events;
  }

  UploadTicket begin(Duration ttl, int segmentSize, @org.jspecify.annotations.Nullable String creator,
      @org.jspecify.annotations.Nullable String notifyUrl) {
    settings.checkTtl(ttl);
    if (segmentSize < settings.minUploadSegment() || segmentSize > settings.maxUploadSegment()) {
      throw new InvalidArgumentException("The segment size must be between " + settings.minUploadSegment() + " and "
          + settings.maxUploadSegment() + " bytes.");
    }
    String id = Ids.newId(random);
    byte[] token = Bytes.random(random, 32);
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS);
    Notifying.Chosen notify = notifying.choose(notifyUrl);
    vault.beginUpload(new PendingUpload(id, expiresAt, Bytes.sha256(token), settings.maxAttempts(), segmentSize,
        notify.subscription()));
    if (creator != null) {
      OneTimeShare.report(() -> events.createdBy(new io.onetimeshare.spi.Creation(creator, OneTimeShare.idDigest(id),
          SecretKind.FILE, -1, ttl, clock.instant())));
    }
    return new UploadTicket(id, expiresAt, Bytes.base64Url(token), segmentSize, notify.signingSecret());
  }

  /** The upload, if the token is its deletion token. */
  UploadProgress progress(String id, String deleteToken) {
    Ids.requireValid(id);
    UploadProgress p = vault.uploadProgress(id).orElseThrow(SecretNotFoundException::new);
    OneTimeShare.checkToken(deleteToken, p.upload().deleteTokenHash());
    return p;
  }

  long append(String id, String deleteToken, long first, InputStream in) throws IOException {
    UploadProgress p = progress(id, deleteToken);
    try {
      return appendAll(id, p, first, in);
    } finally {
      // once per request, whatever happened: what the client may learn is stored is durable (issue 25)
      vault.syncUpload(id);
    }
  }

  private long appendAll(String id, UploadProgress p, long first, InputStream in) throws IOException {
    int full = p.upload().sealedSegmentBytes();
    long limit = limit(p.upload());
    long index = first;
    long count = p.segments();
    while (true) {
      // read straight into the segment's own array: readNBytes(int) gathers 8 KiB pieces and copies them again
      byte[] seg = new byte[full];
      int got = in.readNBytes(seg, 0, full);
      if (got == 0) {
        return count;
      }
      if (got < full) {
        seg = java.util.Arrays.copyOf(seg, got);
      }
      // The envelope's size once segment `index` is stored, whatever other requests for this upload run meanwhile:
      // the vault stores a segment only at the next free index (atomically), and every segment before it is full,
      // so the stored size can only be index * full + this one. Counting bytes per request instead let concurrent
      // requests each stay under the limit while together going far past it (issue 19, finding 3).
      if (index * full + seg.length > limit) {
        throw new TooLargeException(settings.maxContentBytes());
      }
      count = vault.appendSegment(id, index++, seg);
      if (seg.length < full) {
        if (in.read() >= 0) {
          throw new UploadConflictException("Only the last segment may be shorter than " + full + " bytes.", -1);
        }
        return count;
      }
    }
  }

  /** The largest sealed body an upload may reach: the content limit plus the tags and the plaintext prefix. */
  private long limit(PendingUpload u) {
    long content = settings.maxContentBytes() + PREFIX_ALLOWANCE;
    long segments = (content + u.segmentSize() - 1) / u.segmentSize();
    return content + 16 * segments;
  }

  void finish(String id, String deleteToken, byte[] header) {
    UploadProgress p = progress(id, deleteToken);
    EnvelopeHeader h;
    try {
      h = sealer.parse(header);
    } catch (OneTimeShareException e) {
      throw new InvalidArgumentException("The envelope header is not valid: " + e.getMessage());
    }
    io.onetimeshare.crypto.Argon2idParameters kdf = h.kdf();
    if (kdf != null && !kdf.isAtLeast(settings.argon2Floor())) {
      throw new InvalidArgumentException("The envelope stretches its passphrase with " + kdf + ", below this "
          + "server's floor " + settings.argon2Floor() + ": clients would refuse to open it. Seal with at least that.");
    }
    if (h.segmentSize() != p.upload().segmentSize()) {
      throw new InvalidArgumentException("The envelope header's segment size (" + h.segmentSize()
          + ") is not the upload's (" + p.upload().segmentSize() + ").");
    }
    if ((h.mode() == EnvelopeHeader.Mode.PUBLIC_KEY) != vault.requests().flatMap(r -> r.request(id)).isPresent()) {
      throw new InvalidArgumentException(h.mode() == EnvelopeHeader.Mode.PUBLIC_KEY
          ? "Only an answer to a secret request is sealed to a public key."
          : "An answer to a secret request must be sealed to the request's public key (envelope mode 3).");
    }
    vault.finishUpload(id, header);
    OneTimeShare.report(() -> events.created(SecretKind.FILE, p.bytes()));
  }

  boolean abort(String id, String deleteToken) {
    progress(id, deleteToken);
    return vault.abortUpload(id);
  }

  /**
   * Hands out the envelope to whoever proves the key: the proof is the header's key commitment, which only the key's
   * holder can compute (docs/format.md). A wrong proof for a random key costs nothing; for a passphrase secret it
   * costs an attempt, taken before the comparison, and the last one destroys the secret.
   */
  SealedSecret open(String id, byte[] proof) {
    return open(id, proof, io.onetimeshare.spi.Charge.Batch.none());
  }

  /** As above, charging {@code charges} with the first store call (the peek). */
  SealedSecret open(String id, byte[] proof, io.onetimeshare.spi.Charge.Batch charges) {
    Ids.requireValid(id);
    SecretRecord rec = vault.peek(id, charges).filter(r -> !r.isExpiredAt(clock.instant()))
        .orElseThrow(SecretNotFoundException::new);
    EnvelopeHeader h = sealer.parse(rec.header());
    SecretVault.ClaimedSecret claimed;
    if (h.mode() == EnvelopeHeader.Mode.PASSPHRASE) {
      int left = vault.reserveAttempt(id).orElseThrow(SecretNotFoundException::new);
      if (!Bytes.constantTimeEquals(proof, h.commitment())) {
        OneTimeShare.report(() -> events.wrongCredential(true));
        if (left == 0 && vault.delete(id, SecretState.BURNED)) {
          OneTimeShare.report(events::burned);
        }
        throw new WrongCredentialException(left);
      }
      claimed = vault.claim(id).orElseThrow(SecretNotFoundException::new);
    } else {
      int[] attempts = new int[1];
      SecretVault.ClaimOutcome out = vault.claimIf(id, r -> {
        attempts[0] = r.attemptsLeft();
        return !r.isExpiredAt(clock.instant()) && Bytes.constantTimeEquals(proof, sealer.parse(r.header()).commitment());
      });
      if (out.claimed() == null) {
        if (!out.rejected()) {
          throw new SecretNotFoundException();
        }
        OneTimeShare.report(() -> events.wrongCredential(false));
        throw new WrongCredentialException(attempts[0], false); // a wrong key costs nothing
      }
      claimed = out.claimed();
    }
    if (claimed.record().isExpiredAt(clock.instant())) {
      try {
        claimed.close();
      } catch (IOException ignored) {
        // already claimed
      }
      throw new SecretNotFoundException();
    }
    OneTimeShare.report(() -> events.opened(SecretKind.FILE));
    InputStream envelope = new SequenceInputStream(new ByteArrayInputStream(claimed.record().header()),
        claimed.body()) {
      @Override
      public void close() throws IOException {
        claimed.close();
      }
    };
    long body = claimed.bodyLength();
    return new SealedSecret(id, envelope, body < 0 ? -1 : claimed.record().header().length + body);
  }

  /** The header up to the commitment: what a client needs, with its key or passphrase, to compute the proof. */
  static byte[] proofContext(byte[] header) {
    return java.util.Arrays.copyOf(header,
        header.length - EnvelopeHeader.COMMITMENT_LENGTH - EnvelopeHeader.CHECKSUM_LENGTH);
  }
}
