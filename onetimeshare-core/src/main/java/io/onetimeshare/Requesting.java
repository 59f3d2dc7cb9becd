package io.onetimeshare;

import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.RequestRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The facade's part for secret requests (issue 23): an asker's request holds their public key; exactly one answer,
 * sealed to it by the responder's client (envelope mode 3), is uploaded as the secret of the request's id and opened
 * by proof like any other. The server never holds a key that opens the answer.
 */
final class Requesting {
  private final OneTimeShare.Settings settings;
  private final SecretVault vault;
  private final Clock clock;
  private final SecureRandom random;
  private final Notifying notifying;

  Requesting(OneTimeShare.Settings settings, SecretVault vault, Clock clock, SecureRandom random, Notifying notifying) {
    this.notifying = notifying;
    this.settings = settings;
    this.vault = vault;
    this.clock = clock;
    this.random = random;
  }
  /** The vault's requests; a vault without them refuses every request with a clear message. */
  private io.onetimeshare.spi.RequestStore requests() {
    return vault.requests().orElseThrow(() -> new UnsupportedOperationException(
        "This vault stores no secret requests (its SecretVault.requests() is empty)."));
  }


  SecretRequest create(byte[] publicKey, Duration ttl, @Nullable String notifyUrl) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.length != 32) {
      throw new InvalidArgumentException("The public key is an X25519 key: 32 bytes (43 characters of base64url).");
    }
    if (!io.onetimeshare.internal.Hpke.answerable(publicKey)) {
      throw new InvalidArgumentException("This public key cannot be answered: it is a point of small order (or a "
          + "non-canonical encoding) that gives every answer an all-zero shared secret. Send the public key of a "
          + "freshly generated X25519 key pair.");
    }
    settings.checkTtl(ttl);
    Notifying.Chosen notify = notifying.chooseAsker(notifyUrl);
    String id = Ids.newId(random);
    byte[] token = Bytes.random(random, 32);
    byte[] answerToken = Bytes.random(random, 32);
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS);
    requests().putRequest(new RequestRecord(id, expiresAt, publicKey, Bytes.sha256(token), null, notify.subscription(),
        Bytes.sha256(answerToken)));
    return new SecretRequest(id, expiresAt, Bytes.base64Url(token), notify.signingSecret(),
        Bytes.base64Url(answerToken));
  }

  Optional<SecretRequest.Open> open(String id) {
    Ids.requireValid(id);
    return requests().request(id).filter(r -> !r.isExpiredAt(clock.instant()))
        .map(r -> new SecretRequest.Open(r.id(), r.publicKey(), r.expiresAt(), answered(r)));
  }

  /**
   * When the request's answer began, or null while it waits: an answer that began and left nothing (its upload dropped
   * idle or withdrawn before it was stored) no longer counts, as the vault's {@code beginAnswer} lets another begin.
   */
  private @Nullable Instant answered(RequestRecord r) {
    if (r.answeredAt() == null || vault.uploadProgress(r.id()).isPresent() || vault.peek(r.id()).isPresent()
        || vault.trace(r.id()).isPresent()) {
      return r.answeredAt();
    }
    return null;
  }

  /**
   * Begins the one answer: an upload under the request's id, expiring with the request, opened by the asker's proof.
   *
   * @throws SecretNotFoundException no such request, or it expired
   * @throws InvalidAnswerTokenException the answer token is missing or wrong, or the request predates them
   * @throws UploadConflictException the request has its answer already
   */
  UploadTicket answer(String id, @Nullable String answerToken, int segmentSize) {
    Ids.requireValid(id);
    if (segmentSize < settings.minUploadSegment() || segmentSize > settings.maxUploadSegment()) {
      throw new InvalidArgumentException("The segment size must be between " + settings.minUploadSegment() + " and "
          + settings.maxUploadSegment() + " bytes.");
    }
    RequestRecord r = requests().request(id).filter(q -> !q.isExpiredAt(clock.instant()))
        .orElseThrow(SecretNotFoundException::new);
    checkAnswerToken(answerToken, r);
    byte[] token = Bytes.random(random, 32);
    // one attempt: a wrong proof of a mode-3 answer costs nothing anyway (it is not a passphrase)
    // the request's subscription goes on with the answer: its finish is told as request.fulfilled
    PendingUpload up = new PendingUpload(id, r.expiresAt(), Bytes.sha256(token), 1, segmentSize, r.subscription());
    return switch (requests().beginAnswer(up)) {
      case STARTED -> new UploadTicket(id, r.expiresAt(), Bytes.base64Url(token), segmentSize);
      case ALREADY_ANSWERED -> throw new UploadConflictException("This request has been answered already; it takes "
          + "one answer.", 0);
      case NO_REQUEST -> throw new SecretNotFoundException();
    };
  }

  /**
   * The fill link's capability (issue 36, finding 1), compared in constant time with the hash the request keeps. The
   * hash never changes once stored, so checking it before {@code beginAnswer} leaves no window.
   */
  private static void checkAnswerToken(@Nullable String answerToken, RequestRecord r) {
    byte[] expected = r.answerTokenHash();
    if (expected == null) {
      throw InvalidAnswerTokenException.predates();
    }
    if (answerToken == null || answerToken.isEmpty()) {
      throw InvalidAnswerTokenException.missing();
    }
    byte[] given = answerToken.length() == 43 ? Bytes.fromBase64Url(answerToken, "answer token") : new byte[0];
    if (!Bytes.constantTimeEquals(Bytes.sha256(given), expected)) {
      throw InvalidAnswerTokenException.wrong();
    }
  }

  /** The asker's view; needs the owner token. */
  SecretRequest.State status(String id, String ownerToken) {
    Ids.requireValid(id);
    RequestRecord r = requests().request(id).orElseThrow(SecretNotFoundException::new);
    Receipts.checkToken(ownerToken, r.ownerTokenHash());
    Optional<SecretTrace> t = vault.trace(id);
    if (t.isPresent() && t.get().state() != SecretState.WAITING) {
      return switch (t.get().state()) {
        case OPENED -> SecretRequest.State.OPENED;
        case DELETED, BURNED -> SecretRequest.State.DELETED;
        default -> SecretRequest.State.EXPIRED;
      };
    }
    if (r.isExpiredAt(clock.instant())) {
      return SecretRequest.State.EXPIRED;
    }
    return answered(r) == null ? SecretRequest.State.WAITING : SecretRequest.State.ANSWERED;
  }

  /** Withdraws a request (and deletes its answer if one waits); needs the owner token. */
  void delete(String id, String ownerToken) {
    Ids.requireValid(id);
    RequestRecord r = requests().request(id).orElseThrow(SecretNotFoundException::new);
    Receipts.checkToken(ownerToken, r.ownerTokenHash());
    vault.delete(id, SecretState.DELETED);
    vault.abortUpload(id);
    requests().deleteRequest(id);
  }
}
