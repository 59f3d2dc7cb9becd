/** OneTimeShare for Spring Boot: the auto-configuration, its properties, and an example application. */
@NullMarked
package io.onetimeshare.spring;

import org.jspecify.annotations.NullMarked;
