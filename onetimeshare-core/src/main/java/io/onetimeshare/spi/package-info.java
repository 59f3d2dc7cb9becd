/**
 * What a storage, a cipher, a rate limiter or an event sink implements to plug into OneTimeShare: {@link
 * io.onetimeshare.spi.SecretVault} (with its records, uploads and traces), {@link io.onetimeshare.spi.Cipher}, {@link
 * io.onetimeshare.spi.RateLimiter} and {@link io.onetimeshare.spi.ShareEvents}. The facade a user calls lives in
 * {@code io.onetimeshare}; this package never depends on it (ArchUnit keeps it so) but for the shared exception
 * hierarchy, which both sides throw. Every contract here is tested for any implementation by the suites in the
 * {@code onetimeshare-core} test-jar ({@code SecretVaultContract}, {@code RateLimiterContract},
 * {@code CipherContract}).
 *
 * @since 0.3
 */
@NullMarked
package io.onetimeshare.spi;

import org.jspecify.annotations.NullMarked;
