/**
 * OneTimeShare: share a secret text or file exactly once.
 *
 * <p>Start with {@link io.onetimeshare.OneTimeShare}. The service-provider interfaces {@link
 * io.onetimeshare.spi.SecretVault}, {@link io.onetimeshare.spi.Cipher} and {@link io.onetimeshare.spi.RateLimiter} let adapters
 * (Redis, servlet) plug in with exactly the same semantics as the embedded defaults.
 */
@NullMarked
package io.onetimeshare;

import org.jspecify.annotations.NullMarked;
