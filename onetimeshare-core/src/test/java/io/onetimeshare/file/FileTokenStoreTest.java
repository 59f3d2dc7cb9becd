package io.onetimeshare.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.ApiTokens;
import io.onetimeshare.spi.TokenStore;
import io.onetimeshare.testing.TokenStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest extends TokenStoreContract {
  @TempDir Path dir;
  private final java.util.Map<TokenStore, Path> dirs = new java.util.IdentityHashMap<>();

  @Override
  protected TokenStore createStore() throws Exception {
    Path d = Files.createTempDirectory(dir, "vault");
    TokenStore s = FileTokenStore.in(d);
    dirs.put(s, d);
    return s;
  }

  @Override
  protected TokenStore peer(TokenStore first) {
    return FileTokenStore.in(dirs.get(first)); // a second process's view of the same directory
  }

  @Test
  void onlyHashesArePrivateFilesBesideAVaultThatIgnoresThem() throws Exception {
    Path data = dir.resolve("data");
    try (FileSecretVault vault = FileSecretVault.builder(data).build()) {
      ApiTokens.Issued t = ApiTokens.on(FileTokenStore.in(data)).issue("ci", Duration.ofDays(1));
      vault.sweep(); // the vault's sweep leaves the token directory alone
      try (Stream<Path> all = Files.walk(data.resolve(".tokens"))) {
        for (Path p : all.toList()) {
          String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
          assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
          if (Files.isRegularFile(p)) {
            assertFalse(Files.readString(p).contains(t.token().substring(4)), "no token text in " + p);
          }
        }
      }
      assertTrue(ApiTokens.on(FileTokenStore.in(data)).check(t.token()).valid());
    }
  }
}
