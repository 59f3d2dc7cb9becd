/** Internal: request parsing, client addresses, error mapping. Not API. */
@NullMarked
package io.onetimeshare.servlet.internal;

import org.jspecify.annotations.NullMarked;
