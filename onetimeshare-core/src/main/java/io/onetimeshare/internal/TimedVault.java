package io.onetimeshare.internal;

import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Reports each call to the vault (operation, duration, failure) to {@link ShareEvents}. Only calls that fail with an
 * exception count as failed; "not there" is an answer, not a failure.
 */
public final class TimedVault implements SecretVault {
  private final SecretVault vault;
  private final ShareEvents events;

  public TimedVault(SecretVault vault, ShareEvents events) {
    this.vault = vault;
    this.events = events;
  }

  private interface Call<T, E extends Exception> {
    T run() throws E;
  }

  private <T, E extends Exception> T timed(String op, Call<T, E> call) throws E {
    long t0 = System.nanoTime();
    boolean failed = true;
    try {
      T t = call.run();
      failed = false;
      return t;
    } finally {
      try {
        events.vaultCall(op, Duration.ofNanos(System.nanoTime() - t0), failed);
      } catch (RuntimeException ignored) {
        // a listener must not break the operation it observes
      }
    }
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    timed("put", () -> {
      vault.put(record, body);
      return Boolean.TRUE;
    });
  }

  /** Forwarded with the charges: a vault that folds them into its own step (Redis: one round trip) keeps doing so. */
  @Override
  public void put(SecretRecord record, BodyWriter body, io.onetimeshare.spi.Charge.Batch charges) throws IOException {
    timed("put", () -> {
      vault.put(record, body, charges);
      return Boolean.TRUE;
    });
  }

  @Override
  public Optional<SecretRecord> peek(String id, io.onetimeshare.spi.Charge.Batch charges) {
    return timed("peek", () -> vault.peek(id, charges));
  }

  @Override
  public ClaimOutcome claimIf(String id, Predicate<SecretRecord> accept, io.onetimeshare.spi.Charge.Batch charges) {
    return timed("claim", () -> vault.claimIf(id, accept, charges));
  }

  @Override
  public boolean delete(String id) {
    return timed("delete", () -> vault.delete(id));
  }

  @Override
  public void syncUpload(String id) {
    timed("syncUpload", () -> {
      vault.syncUpload(id);
      return Boolean.TRUE;
    });
  }

  @Override
  public Optional<SecretRecord> peek(String id) {
    return timed("peek", () -> vault.peek(id));
  }

  @Override
  public Optional<ClaimedSecret> claim(String id) {
    return timed("claim", () -> vault.claim(id));
  }

  @Override
  public ClaimOutcome claimIf(String id, Predicate<SecretRecord> accept) {
    return timed("claim", () -> vault.claimIf(id, accept));
  }

  @Override
  public OptionalInt reserveAttempt(String id) {
    return timed("reserveAttempt", () -> vault.reserveAttempt(id));
  }

  @Override
  public void refundAttempt(String id) {
    timed("refundAttempt", () -> {
      vault.refundAttempt(id);
      return Boolean.TRUE;
    });
  }

  @Override
  public boolean delete(String id, io.onetimeshare.spi.SecretState reason) {
    return timed("delete", () -> vault.delete(id, reason));
  }

  @Override
  public Optional<io.onetimeshare.spi.SecretTrace> trace(String id) {
    return timed("trace", () -> vault.trace(id));
  }

  @Override
  public void beginUpload(io.onetimeshare.spi.PendingUpload upload) {
    timed("beginUpload", () -> {
      vault.beginUpload(upload);
      return Boolean.TRUE;
    });
  }

  @Override
  public Optional<io.onetimeshare.spi.UploadProgress> uploadProgress(String id) {
    return timed("uploadProgress", () -> vault.uploadProgress(id));
  }

  @Override
  public long appendSegment(String id, long index, byte[] segment) {
    return timed("appendSegment", () -> vault.appendSegment(id, index, segment));
  }

  @Override
  public void finishUpload(String id, byte[] header) {
    timed("finishUpload", () -> {
      vault.finishUpload(id, header);
      return Boolean.TRUE;
    });
  }

  @Override
  public boolean abortUpload(String id) {
    return timed("abortUpload", () -> vault.abortUpload(id));
  }

  /** The vault's requests, each call timed as the vault's own are. */
  @Override
  public Optional<io.onetimeshare.spi.RequestStore> requests() {
    return vault.requests().map(Requests::new);
  }

  private final class Requests implements io.onetimeshare.spi.RequestStore {
    private final io.onetimeshare.spi.RequestStore store;

    Requests(io.onetimeshare.spi.RequestStore store) {
      this.store = store;
    }

    @Override
    public void putRequest(io.onetimeshare.spi.RequestRecord request) {
      timed("putRequest", () -> {
        store.putRequest(request);
        return Boolean.TRUE;
      });
    }

    @Override
    public Optional<io.onetimeshare.spi.RequestRecord> request(String id) {
      return timed("request", () -> store.request(id));
    }

    @Override
    public Answering beginAnswer(io.onetimeshare.spi.PendingUpload upload) {
      return timed("beginAnswer", () -> store.beginAnswer(upload));
    }

    @Override
    public boolean deleteRequest(String id) {
      return timed("deleteRequest", () -> store.deleteRequest(id));
    }
  }

  @Override
  public Optional<io.onetimeshare.spi.UploadParts> uploadParts() {
    return vault.uploadParts();
  }

  @Override
  public Optional<io.onetimeshare.spi.EventOutbox> outbox() {
    return vault.outbox();
  }

  @Override
  public void close() {
    vault.close();
  }
}
