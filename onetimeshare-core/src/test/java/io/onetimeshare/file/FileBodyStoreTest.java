package io.onetimeshare.file;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.testing.BodyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileBodyStoreTest extends BodyStoreContract {
  @TempDir Path dir;

  @Override
  protected BodyStore createStore() throws Exception {
    return FileBodyStore.in(dir.resolve("bodies"));
  }
}
