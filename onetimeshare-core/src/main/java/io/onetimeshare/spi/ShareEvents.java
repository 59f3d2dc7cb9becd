package io.onetimeshare.spi;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.SecretKind;
import java.time.Duration;

/**
 * What happens to secrets, reported as it happens, for metrics and audit trails: bind it to Micrometer, Prometheus or
 * a log in the host application ({@link OneTimeShare.Builder#events}). The core itself depends on no metrics library.
 *
 * <p>Contract: every method has a default that does nothing, so an implementation overrides only what it needs.
 * Callbacks run on the caller's thread in the middle of an operation: they must be quick and must not throw (what
 * they throw is ignored). They never receive a secret, key, passphrase, deletion token or id.
 *
 * @since 0.2
 */
public interface ShareEvents {
  /** Reports nothing. */
  ShareEvents NONE = new ShareEvents() {};

  /** A secret was stored ({@code bytes}: its content size). */
  default void created(SecretKind kind, long bytes) {}

  /**
   * Who created a secret (issue 21), when the caller named a creator ({@link io.onetimeshare.ShareOptions.Builder#creator}):
   * reported after {@link #created} for a finished secret, and when an upload begins.
   *
   * @since 0.3
   */
  default void createdBy(Creation creation) {}

  /** A secret was handed out (its one delivery). */
  default void opened(SecretKind kind) {}

  /** A secret was deleted by its creator. */
  default void deleted() {}

  /** A secret was destroyed by the last wrong passphrase. */
  default void burned() {}

  /** A wrong key or passphrase was tried ({@code passphrase}: which kind). */
  default void wrongCredential(boolean passphrase) {}

  /** Secrets a vault found expired and reclaimed (reported by the vaults that can see it: memory and file). */
  default void expired(long count) {}

  /**
   * A passphrase derivation got its slot: how long it waited and how many were waiting when it arrived.
   */
  default void kdfAdmitted(Duration waited, int queued) {}

  /** A passphrase derivation was refused because the queue was full or the wait too long (an overload). */
  default void kdfRejected() {}

  /** One call to the vault: which ({@code put}, {@code peek}, {@code claim}, ...), how long, whether it failed. */
  default void vaultCall(String operation, Duration took, boolean failed) {}
}
