package io.onetimeshare;

import java.time.Instant;

/**
 * Public facts about a waiting secret, from {@link OneTimeShare#peek}. Peeking consumes nothing.
 *
 * @param id the secret id
 * @param expiresAt when it expires unopened
 * @param passphraseRequired whether it opens with a passphrase (otherwise with the key from the link)
 * @param attemptsLeft wrong attempts allowed before it is destroyed
 * @since 0.1
 */
public record SecretInfo(String id, Instant expiresAt, boolean passphraseRequired, int attemptsLeft) {}
