/**
 * OneTimeShare core: the API a user calls ({@code io.onetimeshare}: the facade, its options, results and exceptions;
 * {@code crypto}: Argon2id parameters), the SPI a storage, cipher, limiter or event sink implements ({@code spi}), and
 * the embedded implementations of that SPI ({@code memory}, {@code file}). {@code io.onetimeshare.internal} is not exported: sealing, the
 * envelope codec and the KDF gate are implementation.
 */
module io.onetimeshare.core {
  exports io.onetimeshare;
  exports io.onetimeshare.spi;
  exports io.onetimeshare.crypto;
  exports io.onetimeshare.memory;
  exports io.onetimeshare.file;
  exports io.onetimeshare.split;

  requires com.github.benmanes.caffeine;
  requires org.bouncycastle.provider;
  // nullness annotations appear in the API; needed to compile against it, not to run it
  requires static transitive org.jspecify;
}
