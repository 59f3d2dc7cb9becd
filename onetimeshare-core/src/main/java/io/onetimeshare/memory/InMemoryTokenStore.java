package io.onetimeshare.memory;

import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API tokens held by this process only: for a library or a single instance that issues its tokens in code. Lost on
 * restart; a server on memory storage therefore cannot use tokens issued by its command (they need a store both
 * share: file or Redis).
 *
 * @since 0.3
 */
public final class InMemoryTokenStore implements TokenStore {
  private final Map<String, TokenRecord> byHash = new ConcurrentHashMap<>();
  private final Map<String, String> byName = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryTokenStore() {}

  @Override
  public boolean add(TokenRecord token) {
    Objects.requireNonNull(token, "token");
    if (byName.putIfAbsent(token.name(), token.hash()) != null) {
      return false;
    }
    byHash.put(token.hash(), token);
    return true;
  }

  @Override
  public Optional<TokenRecord> find(String hash) {
    return Optional.ofNullable(byHash.get(Objects.requireNonNull(hash, "hash")));
  }

  @Override
  public List<TokenRecord> list() {
    return byHash.values().stream().sorted(Comparator.comparing(TokenRecord::name)).toList();
  }

  @Override
  public boolean revoke(String name) {
    String hash = byName.remove(Objects.requireNonNull(name, "name"));
    if (hash == null) {
      return false;
    }
    byHash.remove(hash);
    return true;
  }

  @Override
  public void touch(String hash, Instant when) {
    byHash.computeIfPresent(hash, (h, t) -> t.usedAt(when));
  }
}
