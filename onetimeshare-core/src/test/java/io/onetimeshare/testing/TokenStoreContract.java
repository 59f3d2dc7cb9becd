package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.ApiTokens;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link TokenStore} contract (issue 21), run by every store: memory, file, Redis single node and Cluster. A
 * second store on the same backing ({@link #peer}) stands for another instance: what one revokes, the other refuses.
 */
public abstract class TokenStoreContract {
  /** A fresh, empty store. */
  protected abstract TokenStore createStore() throws Exception;

  /** Another store over the same data as {@code first} (another process); default: the same instance. */
  protected TokenStore peer(TokenStore first) throws Exception {
    return first;
  }

  private static String name() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void issuedTokensAreCheckedByHashAndOnlyTheHashIsStored() throws Exception {
    TokenStore store = createStore();
    ApiTokens tokens = ApiTokens.on(store);
    ApiTokens.Issued issued = tokens.issue(name(), Duration.ofDays(1));
    assertTrue(issued.token().matches("ots_[A-Za-z0-9_-]{43}"), "format");
    assertFalse(issued.toString().contains(issued.token()), "never printed");
    ApiTokens.Check ok = ApiTokens.on(peer(store)).check(issued.token());
    assertTrue(ok.valid(), ok.refusal());
    assertEquals(issued.record().name(), ok.token().name());
    for (TokenRecord r : store.list()) {
      assertFalse(r.toString().contains(issued.token().substring(4)), "no token text is kept");
    }
    String other = issued.token().substring(0, 10) + (issued.token().charAt(10) == 'A' ? 'B' : 'A')
        + issued.token().substring(11);
    assertEquals(ApiTokens.Status.UNKNOWN, tokens.check(other).status());
    assertEquals(ApiTokens.Status.MALFORMED, tokens.check("Bearer " + issued.token()).status());
    assertEquals(ApiTokens.Status.MALFORMED, tokens.check("").status());
  }

  @Test
  void namesAreUniqueEvenWhenTakenAtOnce() throws Exception {
    TokenStore store = createStore();
    String n = name();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TokenStore s = i % 2 == 0 ? store : peer(store);
        Callable<Boolean> c = () -> {
          try {
            ApiTokens.on(s).issue(n, Duration.ofHours(1));
            return true;
          } catch (InvalidArgumentException e) {
            return false;
          }
        };
        results.add(pool.submit(c));
      }
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get() ? 1 : 0;
      }
      assertEquals(1, won, "exactly one issue of a name succeeds");
      assertEquals(1, store.list().stream().filter(t -> t.name().equals(n)).count());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRevocationIsSeenByEveryInstanceAtOnce() throws Exception {
    TokenStore store = createStore();
    TokenStore other = peer(store);
    String n = name();
    ApiTokens.Issued issued = ApiTokens.on(store).issue(n, Duration.ofDays(1));
    assertTrue(ApiTokens.on(other).check(issued.token()).valid());
    assertTrue(ApiTokens.on(other).revoke(n));
    assertEquals(ApiTokens.Status.UNKNOWN, ApiTokens.on(store).check(issued.token()).status());
    assertFalse(store.revoke(n), "gone");
    assertTrue(store.list().stream().noneMatch(t -> t.name().equals(n)));
    ApiTokens.Issued again = ApiTokens.on(other).issue(n, Duration.ofDays(1));
    assertNotEquals(issued.token(), again.token(), "the name is free again; the token is new");
  }

  @Test
  void expiredTokensAreRefusedAndLastUseIsRecorded() throws Exception {
    TokenStore store = createStore();
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ApiTokens tokens = ApiTokens.on(store, clock);
    String n = name();
    ApiTokens.Issued issued = tokens.issue(n, Duration.ofHours(1));
    assertNull(store.find(issued.record().hash()).orElseThrow().lastUsedAt(), "never used yet");
    clock.advance(Duration.ofMinutes(10));
    assertTrue(tokens.check(issued.token()).valid());
    assertEquals(clock.instant(), store.find(issued.record().hash()).orElseThrow().lastUsedAt());
    clock.advance(Duration.ofMinutes(50));
    ApiTokens.Check late = tokens.check(issued.token());
    assertEquals(ApiTokens.Status.EXPIRED, late.status());
    assertTrue(late.refusal().contains("expired"));
    assertThrows(InvalidArgumentException.class, () -> tokens.issue("bad name", Duration.ofDays(1)));
    assertThrows(InvalidArgumentException.class, () -> tokens.issue(name(), Duration.ZERO));
    assertThrows(InvalidArgumentException.class, () -> tokens.issue(name(), Duration.ofDays(4000)));
  }
}
