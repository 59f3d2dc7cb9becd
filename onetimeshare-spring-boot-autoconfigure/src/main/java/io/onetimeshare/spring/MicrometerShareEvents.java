package io.onetimeshare.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.onetimeshare.SecretKind;
import io.onetimeshare.spi.ShareEvents;
import java.time.Duration;
import java.util.Locale;

/**
 * The library's events as Micrometer meters in the application's own registry, under the names the standalone server
 * uses ({@code ots.secrets}, {@code ots.kdf.*}, {@code ots.vault}): counts and timings only, never an id or content.
 */
final class MicrometerShareEvents implements ShareEvents {
  private final MeterRegistry registry;

  MicrometerShareEvents(MeterRegistry registry) {
    this.registry = registry;
  }

  private void secret(String event, String kind, double n) {
    Counter.builder("ots.secrets").description("Secrets by lifecycle event").tag("event", event).tag("kind", kind)
        .register(registry).increment(n);
  }

  @Override
  public void created(SecretKind kind, long bytes) {
    secret("stored", kind.name().toLowerCase(Locale.ROOT), 1);
  }

  @Override
  public void opened(SecretKind kind) {
    secret("opened", kind.name().toLowerCase(Locale.ROOT), 1);
  }

  @Override
  public void deleted() {
    secret("deleted", "any", 1);
  }

  @Override
  public void burned() {
    secret("burned", "any", 1);
  }

  @Override
  public void expired(long count) {
    secret("expired", "any", (double) count);
  }

  @Override
  public void wrongCredential(boolean passphrase) {
    Counter.builder("ots.wrong.credentials").tag("credential", passphrase ? "passphrase" : "key").register(registry)
        .increment();
  }

  @Override
  public void kdfAdmitted(Duration waited, int queued) {
    Timer.builder("ots.kdf.wait").description("Argon2id: wait for a slot").register(registry).record(waited);
    io.micrometer.core.instrument.DistributionSummary.builder("ots.kdf.queue.depth")
        .description("waiting when a derivation arrived").register(registry).record(queued);
  }

  @Override
  public void kdfRejected() {
    Counter.builder("ots.kdf.rejected").description("refused: queue full or wait too long").register(registry)
        .increment();
  }

  @Override
  public void vaultCall(String operation, Duration took, boolean failed) {
    Timer.builder("ots.vault").tag("operation", operation).tag("outcome", failed ? "failed" : "ok")
        .register(registry).record(took);
  }
}
