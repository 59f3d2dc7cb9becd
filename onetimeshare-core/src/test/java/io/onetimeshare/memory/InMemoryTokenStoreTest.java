package io.onetimeshare.memory;

import io.onetimeshare.spi.TokenStore;
import io.onetimeshare.testing.TokenStoreContract;

class InMemoryTokenStoreTest extends TokenStoreContract {
  @Override
  protected TokenStore createStore() {
    return new InMemoryTokenStore();
  }
}
