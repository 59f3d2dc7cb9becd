package io.onetimeshare.examples.server;

import io.onetimeshare.SecretKind;
import io.onetimeshare.spi.Creation;
import io.onetimeshare.spi.ShareEvents;
import java.time.Duration;

/**
 * When creating needs a token or a sign-in (issue 21), one audit line per creation on the logger {@code
 * onetimeshare.audit}: who, a digest of the id (never the id), size, TTL. Every other event goes to {@code next}.
 */
final class AuditEvents implements ShareEvents {
  private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("onetimeshare.audit");
  private final ShareEvents next;

  AuditEvents(ShareEvents next) {
    this.next = next;
  }

  @Override
  public void createdBy(Creation c) {
    AUDIT.info("created by={} id~{} kind={} bytes={} ttl={}s", c.creator(), c.idDigest(),
        c.kind().name().toLowerCase(java.util.Locale.ROOT), c.bytes() < 0 ? "upload" : Long.toString(c.bytes()),
        c.ttl().toSeconds());
    next.createdBy(c);
  }

  @Override
  public void created(SecretKind kind, long bytes) {
    next.created(kind, bytes);
  }

  @Override
  public void opened(SecretKind kind) {
    next.opened(kind);
  }

  @Override
  public void deleted() {
    next.deleted();
  }

  @Override
  public void burned() {
    next.burned();
  }

  @Override
  public void wrongCredential(boolean passphrase) {
    next.wrongCredential(passphrase);
  }

  @Override
  public void expired(long count) {
    next.expired(count);
  }

  @Override
  public void kdfAdmitted(Duration waited, int queued) {
    next.kdfAdmitted(waited, queued);
  }

  @Override
  public void kdfRejected() {
    next.kdfRejected();
  }

  @Override
  public void vaultCall(String operation, Duration took, boolean failed) {
    next.vaultCall(operation, took, failed);
  }
}
