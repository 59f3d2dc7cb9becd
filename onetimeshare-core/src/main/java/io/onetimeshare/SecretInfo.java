package io.onetimeshare;

import java.time.Instant;

/**
 * Public facts about a waiting secret, from {@link OneTimeShare#peek}. Peeking consumes nothing.
 *
 * @param id the secret id
 * @param expiresAt when it expires unopened
 * @param passphraseRequired whether it opens with a passphrase (otherwise with the key from the link)
 * @param attemptsLeft wrong attempts allowed before it is destroyed
 * @param proofContext the envelope header up to its key commitment (public: format, segment size, KDF parameters,
 *     salt, nonce prefix), which a client needs to compute the proof for {@link OneTimeShare#openSealed}
 * @since 0.1
 */
public record SecretInfo(String id, Instant expiresAt, boolean passphraseRequired, int attemptsLeft,
    byte[] proofContext) {
  public SecretInfo {
    proofContext = proofContext.clone();
  }

  @Override
  public byte[] proofContext() {
    return proofContext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretInfo i && id.equals(i.id) && expiresAt.equals(i.expiresAt)
        && passphraseRequired == i.passphraseRequired && attemptsLeft == i.attemptsLeft
        && java.util.Arrays.equals(proofContext, i.proofContext);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, expiresAt, passphraseRequired, attemptsLeft);
  }

  @Override
  public String toString() {
    return "SecretInfo[id=" + id + ", expiresAt=" + expiresAt + ", passphraseRequired=" + passphraseRequired
        + ", attemptsLeft=" + attemptsLeft + "]";
  }
}
