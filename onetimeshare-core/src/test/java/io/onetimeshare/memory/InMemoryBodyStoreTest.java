package io.onetimeshare.memory;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.testing.BodyStoreContract;

class InMemoryBodyStoreTest extends BodyStoreContract {
  @Override
  protected BodyStore createStore() {
    return new InMemoryBodyStore();
  }
}
