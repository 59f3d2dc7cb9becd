package io.onetimeshare.testing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;

/**
 * Makes a stuck test a red build within minutes instead of a CI run that never ends. JUnit's default timeout
 * (configured for every module in the parent POM) interrupts a test method or lifecycle method that runs too long
 * and prints every thread's stack; a thread that is deadlocked on a monitor ignores the interrupt, though. This
 * extension, auto-detected in every module that has the contract suites' test-jar, notices when the run makes no
 * progress for {@link #GRACE_SECONDS} after such an interrupt, prints every thread's state and stack to stderr, and halts the test JVM: Surefire/Failsafe then fail the module, naming the test class.
 * Surefire's and Failsafe's {@code forkedProcessTimeoutInSeconds} remain the last resort for modules without it.
 */
public final class HangWatchdog
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, PreInterruptCallback {
  static final long GRACE_SECONDS = Long.getLong("ots.test.hangGraceSeconds", 90);
  private static final AtomicLong PROGRESS = new AtomicLong();
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ots-hang-watchdog");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void beforeAll(ExtensionContext context) {
    PROGRESS.incrementAndGet();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    PROGRESS.incrementAndGet();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    PROGRESS.incrementAndGet();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    PROGRESS.incrementAndGet();
  }

  @Override
  public void beforeThreadInterrupt(PreInterruptContext interrupt, ExtensionContext context) {
    long seen = PROGRESS.get();
    Thread stuck = interrupt.getThreadToInterrupt();
    String where = context.getUniqueId();
    var unused = TIMER.schedule(() -> {
      if (PROGRESS.get() == seen && stuck.isAlive()) {
        System.err.println("HangWatchdog: " + where + " timed out and is still stuck " + GRACE_SECONDS
            + " s after its interrupt; halting the test JVM. Threads:");
        System.err.println(dump());
        System.err.flush();
        Runtime.getRuntime().halt(86);
      }
    }, GRACE_SECONDS, TimeUnit.SECONDS);
  }

  /** Every thread with its state and stack (the module cannot read java.management; JUnit's dump has the locks). */
  static String dump() {
    StringBuilder b = new StringBuilder();
    for (var e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
      for (StackTraceElement f : e.getValue()) {
        b.append("\tat ").append(f).append('\n');
      }
      b.append('\n');
    }
    return b.toString();
  }
}
