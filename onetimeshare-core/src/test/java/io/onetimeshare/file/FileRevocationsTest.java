package io.onetimeshare.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.onetimeshare.spi.Revocations;
import io.onetimeshare.testing.RevocationsContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the file vault's directory; the peer is a second instance over the same directory. */
class FileRevocationsTest extends RevocationsContract {
  @TempDir Path dir;
  private final Map<Revocations, Path> dirs = new IdentityHashMap<>();

  @Override
  protected Revocations create() throws Exception {
    Path d = Files.createTempDirectory(dir, "vault");
    Revocations r = FileRevocations.in(d);
    dirs.put(r, d);
    return r;
  }

  @Override
  protected Revocations peer(Revocations first) {
    return FileRevocations.in(dirs.get(first));
  }

  @Test
  void runOutRevocationsLeaveTheDirectory() throws Exception {
    Path d = Files.createTempDirectory(dir, "sweep");
    Revocations r = FileRevocations.in(d);
    r.revoke("old", Instant.now().plusMillis(200));
    Thread.sleep(400);
    r.revoke("new", Instant.now().plusSeconds(60));
    try (var files = Files.list(d.resolve(".revoked"))) {
      assertEquals(java.util.List.of("new"), files.map(p -> p.getFileName().toString()).toList());
    }
  }
}
