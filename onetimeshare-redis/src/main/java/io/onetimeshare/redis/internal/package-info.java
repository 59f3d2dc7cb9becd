/** Internal: the Lettuce seam, Lua scripts, error translation. Not API. */
@NullMarked
package io.onetimeshare.redis.internal;

import org.jspecify.annotations.NullMarked;
