/**
 * Records in one vault, sealed bodies in a {@link io.onetimeshare.spi.BodyStore} (issue 37).
 */
@NullMarked
package io.onetimeshare.split;

import org.jspecify.annotations.NullMarked;
