package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 19, finding 12: a store outage logs one line per interval, with the count of the ones it summarises. */
class SummarisedLogTest {
  @Test
  void aFloodBecomesOneLinePerIntervalWithItsCount() {
    List<String> lines = new ArrayList<>();
    System.Logger capture = new System.Logger() {
      @Override
      public String getName() {
        return "capture";
      }

      @Override
      public boolean isLoggable(Level level) {
        return true;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(msg);
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(format);
      }
    };
    AtomicLong now = new AtomicLong(5);
    SummarisedLog log = new SummarisedLog(capture, 10, TimeUnit.SECONDS, now::get);
    for (int i = 0; i < 1350; i++) { // a failover's worth of failing requests within a few seconds
      log.warn("Store unavailable: Redis is unavailable (RedisConnectionException).");
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(3));
    }
    assertEquals(1, lines.size(), lines.toString());
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    log.warn("Store unavailable: Redis is unavailable (RedisConnectionException).");
    assertEquals(List.of("Store unavailable: Redis is unavailable (RedisConnectionException).",
        "Store unavailable: Redis is unavailable (RedisConnectionException). (1349 more like it since the last "
            + "such line, at most one per 10 s)"), lines);
  }
}
