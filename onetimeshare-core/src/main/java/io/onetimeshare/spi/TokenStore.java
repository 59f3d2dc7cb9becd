package io.onetimeshare.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API tokens live (issue 21): in the store the server keeps its secrets in, so that every instance sharing it
 * sees a new token and a revocation at once. Only hashes are stored ({@link TokenRecord}); issuing and checking tokens
 * is {@link io.onetimeshare.ApiTokens}' job, not the store's. Implementations: memory (one process), file (the file
 * vault's data directory) and Redis. Thread-safe; a store that cannot be reached throws
 * {@link io.onetimeshare.StoreUnavailableException}, never answers "unknown".
 *
 * @since 0.3
 */
public interface TokenStore {
  /**
   * Stores {@code token}; false, storing nothing, if a token of that name exists already (atomic across instances).
   */
  boolean add(TokenRecord token);

  /** The token whose hash is {@code hash}, if it exists (revoked tokens do not). */
  Optional<TokenRecord> find(String hash);

  /** Every token, by name. */
  List<TokenRecord> list();

  /** Deletes the token called {@code name}; false if there was none. Effective for every instance at once. */
  boolean revoke(String name);

  /** Records that the token {@code hash} was accepted at {@code when} (best effort; no-op for a revoked one). */
  void touch(String hash, Instant when);
}
