package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 36, finding 9: with the server's own logging configuration (warn by default), the audit trail and failed
 * webhook attempts are still written: their loggers are at info. Other info lines stay quiet.
 */
class AuditLoggingTest {
  @Test
  void theAuditTrailAndFailedDeliveriesAreOnByDefault() {
    assertTrue(org.slf4j.LoggerFactory.getLogger("onetimeshare.audit").isInfoEnabled(), "created by= lines");
    // the notifier logs through System.Logger, which the server routes to slf4j
    assertTrue(System.getLogger("io.onetimeshare.servlet.notify.Notifier").isLoggable(System.Logger.Level.INFO),
        "failed webhook attempts");
    assertFalse(org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled(),
        "Jetty's start-up chatter stays at the default warn");
  }
}
