/**
 * Internal implementation: the envelope codec, the segment-wise sealing streams, Argon2id and the AES-GCM ciphers.
 * Not API: anything here may change in any release. ArchUnit tests keep other modules' main code out of it, except
 * the bench module which measures these pieces directly.
 */
@NullMarked
package io.onetimeshare.internal;

import org.jspecify.annotations.NullMarked;
