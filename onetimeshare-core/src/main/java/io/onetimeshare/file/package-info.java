/** A filesystem vault: sealed blobs in a directory, crash-safe writes, atomic claims, expiry sweeping. */
@NullMarked
package io.onetimeshare.file;

import org.jspecify.annotations.NullMarked;
