/** Cryptographic parameters users configure: Argon2id cost settings and the ceiling accepted when reading. */
@NullMarked
package io.onetimeshare.crypto;

import org.jspecify.annotations.NullMarked;
