/** An example Spring Boot application that uses the auto-configuration and nothing else. */
@NullMarked
package io.onetimeshare.spring.example;

import org.jspecify.annotations.NullMarked;
