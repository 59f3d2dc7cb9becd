package io.onetimeshare.split;

import io.onetimeshare.spi.BodyStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Removes what no record needs any more: bodies whose deadline (in their key) passed, bodies whose delete failed
 * (retried here), and writes in parts left unfinished (an upload's once its body's deadline passed, any a day after
 * it began). Every step is idempotent, so any number of instances may sweep one store at once; each lists only keys
 * of minutes gone by, never the whole store.
 */
final class Sweeper {
  private final BodyStore bodies;
  private final String prefix;
  private final ConcurrentLinkedQueue<String> toDelete = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onetimeshare-body-sweeper");
        t.setDaemon(true);
        return t;
      });

  Sweeper(BodyStore bodies, String prefix) {
    this.bodies = bodies;
    this.prefix = prefix;
  }

  /** What {@link #every} runs. */
  interface Sweep {
    int run() throws IOException;
  }

  /** Runs {@code sweep} every {@code interval} on a thread of its own until {@link #close}. */
  void every(java.time.Duration interval, Sweep sweep) {
    long every = interval.toMillis();
    var unused = timer.scheduleWithFixedDelay(() -> {
      try {
        sweep.run();
      } catch (IOException | RuntimeException e) {
        System.getLogger(Sweeper.class.getName()).log(System.Logger.Level.WARNING,
            "Sweeping the object store failed (tried again next interval): {0}", e.getClass().getSimpleName());
      }
    }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  void close() {
    timer.shutdownNow();
  }

  void deleteNowOrLater(String key) {
    try {
      bodies.delete(key);
    } catch (IOException | RuntimeException e) {
      deleteLater(key);
    }
  }

  void deleteLater(String key) {
    toDelete.add(key);
  }

  /** One sweep: {@code bound} is the first key not yet due; writes begun before {@code abandonedBefore} go. */
  int sweep(String bound, Instant abandonedBefore) throws IOException {
    int n = 0;
    for (int retry = toDelete.size(); retry > 0; retry--) {
      String k = toDelete.poll();
      if (k == null) {
        break;
      }
      try {
        bodies.delete(k);
        n++;
      } catch (IOException | RuntimeException e) {
        toDelete.add(k);
        throw e;
      }
    }
    List<String> due;
    do {
      due = bodies.keysBefore(bound, 1000);
      for (String k : due) {
        if (k.startsWith(prefix)) {
          bodies.delete(k);
          n++;
        }
      }
    } while (due.size() == 1000);
    for (BodyStore.Unfinished u : bodies.unfinished(1000)) {
      // an upload's write whose body's deadline passed (its upload was dropped, or the secret would be gone by now),
      // or any write begun before abandonedBefore (a day ago: the backstop for keys of another form)
      boolean past = u.key().startsWith(prefix) && u.key().compareTo(bound) < 0;
      if (past || (u.started() != null && u.started().isBefore(abandonedBefore))) {
        bodies.abortParts(u.key(), u.writeId());
      }
    }
    return n;
  }
}
