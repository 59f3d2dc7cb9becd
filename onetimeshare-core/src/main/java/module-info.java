/**
 * OneTimeShare core: the facade ({@code io.onetimeshare}), Argon2id parameters ({@code crypto}), and the embedded
 * vaults and limiter ({@code memory}, {@code file}). {@code io.onetimeshare.internal} is not exported: sealing, the
 * envelope codec and the KDF gate are implementation.
 */
module io.onetimeshare.core {
  exports io.onetimeshare;
  exports io.onetimeshare.crypto;
  exports io.onetimeshare.memory;
  exports io.onetimeshare.file;

  requires com.github.benmanes.caffeine;
  requires org.bouncycastle.provider;
  // nullness annotations appear in the API; needed to compile against it, not to run it
  requires static transitive org.jspecify;
}
