package io.onetimeshare.file;

import io.onetimeshare.internal.Ids;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file outbox's repair pass, run before every take: records the ends of subscribed secrets that nobody recorded
 * (their expiry, which no request saw; a process that died between a claim's rename and its record), finishes ends
 * left half-expanded by a crash, and forgets the subscriptions of uploads never finished.
 */
final class EndRepair {
  private final FileOutbox outbox;
  private final Path dir;
  private final Clock clock;

  EndRepair(FileOutbox outbox, Path dir, Clock clock) {
    this.outbox = outbox;
    this.dir = dir;
    this.clock = clock;
  }

  /** The secrets subscribed and not ended: their ends that nobody saw are recorded here. */
  void run(FileOutbox.Secrets secrets) throws IOException {
    Instant now = clock.instant();
    List<String[]> ends = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(FileOutbox.SUB) && name.length() == Ids.LENGTH + FileOutbox.SUB.length()) {
          String id = name.substring(0, Ids.LENGTH);
          if (!Ids.isValid(id)) {
            continue;
          }
          long expires;
          try {
            String text = FileOutbox.read(p);
            expires = Long.parseLong(text.substring(0, text.indexOf('\n')));
          } catch (NoSuchFileException e) {
            continue;
          } catch (RuntimeException e) {
            continue; // unreadable: left for an operator
          }
          if (secrets.present(id)) {
            if (!now.isBefore(Instant.ofEpochMilli(expires)) && secrets.destroyIfExpired(id, now)) {
              outbox.ended(id, EventType.EXPIRED);
            }
            continue;
          }
          // gone without its end recorded: a process died between the change and the record, or the sweep
          // reclaimed it expired; a trace that says how it ended is believed
          Optional<SecretTrace> t = secrets.trace(id);
          SecretState s = t.map(SecretTrace::state).orElse(SecretState.WAITING);
          if (s != SecretState.WAITING) {
            outbox.ended(id, EventType.ofEnd(s));
          } else if (!now.isBefore(Instant.ofEpochMilli(expires))) {
            // gone and never ended in its trace: it expired (or, rarely, a process died between a claim's rename
            // and its trace; told as expired, the one end that cannot be told from here)
            outbox.ended(id, EventType.EXPIRED);
          }
          // gone, waiting and not expired: a claim or a delete is half-way in some process; it records the end
        } else if (name.endsWith(FileOutbox.UPLOAD) && name.length() == Ids.LENGTH + FileOutbox.UPLOAD.length()) {
          try {
            String text = FileOutbox.read(p);
            if (!now.isBefore(Instant.ofEpochMilli(Long.parseLong(text.substring(0, text.indexOf('\n')))))) {
              Files.deleteIfExists(p); // an upload never finished
            }
          } catch (NoSuchFileException | RuntimeException e) {
            // finished meanwhile, or unreadable: left for an operator
          }
        } else if (name.endsWith(FileOutbox.END)) {
          String[] f = name.split("\\.");
          if (f.length == 3 && Ids.isValid(f[0]) && f[1].length() == 1) {
            ends.add(f);
          }
        }
      }
    }
    for (String[] f : ends) {
      outbox.finishEnd(dir.resolve(String.join(".", f)), f[0], EventType.ofCode(f[1].charAt(0)));
    }
  }

}
