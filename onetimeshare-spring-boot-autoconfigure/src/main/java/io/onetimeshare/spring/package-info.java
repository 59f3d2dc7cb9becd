/**
 * OneTimeShare for Spring Boot (issue 39): the auto-configuration behind {@code onetimeshare-spring-boot-starter},
 * its {@code onetimeshare.*} properties, the create policy on Spring Security, the health indicator and the meters.
 */
@NullMarked
package io.onetimeshare.spring;

import org.jspecify.annotations.NullMarked;
