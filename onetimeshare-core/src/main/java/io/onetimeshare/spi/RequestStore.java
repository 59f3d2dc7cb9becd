package io.onetimeshare.spi;

import java.util.Optional;

/**
 * Secret requests (issue 23): a capability a vault has or not ({@link SecretVault#requests()}), instead of methods
 * every vault inherits and some refuse. The memory, file and Redis vaults have it; a host's own vault may leave it
 * out, and then the facade answers requests with a clear refusal.
 *
 * @since 0.3
 */
public interface RequestStore {
  /**
   * Stores a secret request, kept until {@link SecretTrace#RETENTION} past its expiry.
   *
   * @throws IllegalStateException the id is taken (by a request, a secret or an upload)
   * @throws io.onetimeshare.CapacityException when the store has no room
   */
  void putRequest(RequestRecord request);

  /** The request under {@code id}, answered or not, until its retention ends; empty when none. */
  Optional<RequestRecord> request(String id);

  /**
   * Begins the one answer to a request, atomically across threads, processes and instances: when the request is
   * there, unexpired and unanswered, marks it answered and begins {@code upload} (whose id is the request's); of any
   * number of racing callers exactly one gets {@link Answering#STARTED}.
   */
  Answering beginAnswer(PendingUpload upload);

  /** Removes a request (its answer, if any, is a secret of its own); true if it was there. */
  boolean deleteRequest(String id);

  /** What {@link #beginAnswer} did. */
  enum Answering {
    /** The answer's upload began; the request is answered from now on. */
    STARTED,
    /** Another answer began first (or the id holds a secret already): nothing was done. */
    ALREADY_ANSWERED,
    /** No such request, or it expired. */
    NO_REQUEST
  }
}
