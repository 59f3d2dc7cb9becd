package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.onetimeshare.Credential;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.ShareOptions;
import io.onetimeshare.ShareReceipt;
import io.onetimeshare.WrongCredentialException;
import io.onetimeshare.crypto.Argon2idParameters;
import java.nio.charset.StandardCharsets;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core vault contract, unchanged, on a real single Redis node; the peer is a second client ("instance"). */
class RedisSingleNodeVaultTest extends SecretVaultContract {
  static RedisProcess redis;
  static RedisStore store;
  static RedisStore peerStore;
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    store = RedisStore.connect(redis.uri());
    peerStore = RedisStore.connect(redis.uri());
  }

  @AfterAll
  static void stopRedis() throws Exception {
    peerStore.close();
    store.close();
    redis.close();
  }

  @Override
  protected SecretVault createVault(MutableClock clock) {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    return RedisSecretVault.builder(store).prefix(prefix).clock(clock).build();
  }

  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return RedisSecretVault.builder(peerStore).prefix(prefix).clock(clock).build();
  }

  /** Through the facade: a key open is claim-check-give-back on Redis; wrong keys and wrong modes consume nothing. */
  @Test
  void wrongKeysAndWrongModesLeaveTheSecretForTheRightCredential() {
    OneTimeShare ots = OneTimeShare.builder().vault(RedisSecretVault.builder(store).prefix("facade").build())
        .argon2(Argon2idParameters.owaspMinimum()).build();
    ShareReceipt r = ots.share("the secret", ShareOptions.defaults());
    byte[] wrong = new byte[32];
    WrongCredentialException e = assertThrows(WrongCredentialException.class,
        () -> ots.open(r.id(), Credential.key(wrong)));
    assertEquals(5, e.attemptsLeft(), "a wrong random key costs no attempt");
    assertThrows(InvalidArgumentException.class, () -> ots.open(r.id(), Credential.passphrase("a passphrase")));
    assertEquals("the secret", new String(ots.open(r.id(), Credential.key(r.key())).content(), StandardCharsets.UTF_8));
    assertThrows(SecretNotFoundException.class, () -> ots.open(r.id(), Credential.key(r.key())));

    ShareReceipt p = ots.share("with a passphrase",
        ShareOptions.builder().passphrase("correct horse").build());
    assertThrows(InvalidArgumentException.class, () -> ots.open(p.id(), Credential.key(wrong)),
        "a key for a passphrase secret is refused without counting an attempt");
    assertEquals(5, ots.peek(p.id()).orElseThrow().attemptsLeft());
    assertEquals("with a passphrase", new String(ots.open(p.id(), Credential.passphrase("correct horse")).content(),
        StandardCharsets.UTF_8));
  }
}
