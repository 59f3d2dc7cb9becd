/** The embedded in-memory defaults on Caffeine: a vault that never evicts an unexpired secret, and a rate limiter. */
@NullMarked
package io.onetimeshare.memory;

import org.jspecify.annotations.NullMarked;
