package io.onetimeshare.spring;

import io.onetimeshare.servlet.notify.Notifier;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * The webhook notifier, started with the application context and stopped with it, after the web server has finished
 * its requests (Spring's graceful shutdown), so the events of the last requests are recorded and attempts under way
 * get their timeout to finish.
 *
 * @since 0.3
 */
public final class NotifierLifecycle implements SmartLifecycle {
  private final @Nullable Notifier notifier;
  private volatile boolean running;

  NotifierLifecycle(@Nullable Notifier notifier) {
    this.notifier = notifier;
  }

  /** The notifier, when webhooks are configured. */
  public Optional<Notifier> notifier() {
    return Optional.ofNullable(notifier);
  }

  @Override
  public void start() {
    if (notifier != null && !running) {
      notifier.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    if (notifier != null && running) {
      notifier.close();
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Below the web server's phases (graceful shutdown at {@code DEFAULT_PHASE - 1024}, the server itself at {@code
   * DEFAULT_PHASE - 2048}): started before the server takes requests, stopped after it has finished them.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }
}
