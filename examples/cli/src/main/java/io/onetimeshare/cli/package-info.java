/** The {@code ots} command-line client. */
@NullMarked
package io.onetimeshare.cli;

import org.jspecify.annotations.NullMarked;
