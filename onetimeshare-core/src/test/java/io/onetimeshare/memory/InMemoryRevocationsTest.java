package io.onetimeshare.memory;

import io.onetimeshare.spi.Revocations;
import io.onetimeshare.testing.RevocationsContract;

class InMemoryRevocationsTest extends RevocationsContract {
  @Override
  protected Revocations create() {
    return InMemoryRevocations.create();
  }
}
