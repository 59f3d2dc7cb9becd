package io.onetimeshare.file;

import static io.onetimeshare.file.FileIo.storeIo;
import static io.onetimeshare.file.FileIo.unavailable;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.RequestRecord;
import io.onetimeshare.spi.RequestStore;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The file vault's {@link RequestStore} (issue 37, part 1: a capability of its own, out of the vault): the requests'
 * files ({@link FileRequests}) and their subscriptions in the outbox, with what the vault tells it of the ids it holds.
 */
final class FileRequestStore implements RequestStore {
  private final FileRequests requests;
  private final FileOutbox outbox;
  private final Predicate<String> stored;
  private final Predicate<String> uploading;
  private final FileRequests.AnswerLives answerLives;
  private final FileRequests.Begin begin;

  /**
   * @param stored whether a secret holds the id
   * @param uploading whether an upload holds it
   * @param answerLives whether an answer begun under it left something (an upload, a secret or its trace)
   * @param begin begins an upload
   */
  FileRequestStore(FileRequests requests, FileOutbox outbox, Predicate<String> stored, Predicate<String> uploading,
      FileRequests.AnswerLives answerLives, FileRequests.Begin begin) {
    this.requests = requests;
    this.outbox = outbox;
    this.stored = stored;
    this.uploading = uploading;
    this.answerLives = answerLives;
    this.begin = begin;
  }

  @Override
  public void putRequest(RequestRecord request) {
    if (stored.test(request.id()) || uploading.test(request.id())) {
      throw new IllegalStateException("id collision");
    }
    // the subscription first (a request seen without it would never tell its end); a failed put leaves a subscription
    // of an id nobody holds, which the repair pass ends at its expiry like any other
    storeIo(() -> outbox.subscribe(request.id(), request.expiresAt(), request.subscription()));
    storeIo(() -> requests.put(request));
  }

  @Override
  public Optional<RequestRecord> request(String id) {
    try {
      return requests.get(id);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Answering beginAnswer(PendingUpload upload) {
    try {
      return requests.beginAnswer(upload, begin, answerLives);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public boolean deleteRequest(String id) {
    try {
      if (!request(id).map(r -> r.subscription().isEmpty()).orElse(true) && !stored.test(id)) {
        outbox.forget(id); // withdrawn unanswered: nobody is to hear of its expiry
      }
      return requests.delete(id);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }
}
