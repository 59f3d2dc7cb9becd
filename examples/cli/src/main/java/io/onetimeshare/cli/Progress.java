package io.onetimeshare.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A progress line on standard error, redrawn at most five times a second; silent unless enabled. */
final class Progress {
  private final PrintStream err;
  private final boolean enabled;
  private final String verb;
  private final long total;
  private long done;
  private long drawn;

  Progress(PrintStream err, boolean enabled, String verb, long total) {
    this.err = err;
    this.enabled = enabled;
    this.verb = verb;
    this.total = total;
  }

  void add(long n) {
    done += n;
    long now = System.nanoTime();
    if (enabled && now - drawn > 200_000_000L) {
      drawn = now;
      draw();
    }
  }

  private void draw() {
    String mib = String.format(Locale.ROOT, "%.1f MiB", done / 1048576.0);
    if (total > 0) {
      int pct = (int) Math.min(100, done * 100 / total);
      String bar = "#".repeat(pct / 4) + " ".repeat(25 - pct / 4);
      err.print("\r" + verb + " [" + bar + "] " + pct + "% " + mib);
    } else {
      err.print("\r" + verb + " " + mib);
    }
    err.flush();
  }

  void finish() {
    if (enabled) {
      draw();
      err.println();
    }
  }
}
