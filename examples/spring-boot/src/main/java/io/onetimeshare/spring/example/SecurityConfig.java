package io.onetimeshare.spring.example;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application's own security, as any Spring application has it: everything needs a sign-in through the
 * application's OpenID provider, except the health endpoint; CSRF tokens in the {@code XSRF-TOKEN} cookie, as
 * single-page applications use them. OneTimeShare's paths get the starter's own chain ahead of this one, so links
 * open without an account while creating asks this sign-in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
  @Bean
  SecurityFilterChain application(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .anyRequest().authenticated())
        .oauth2Login(o -> { })
        .csrf(c -> c.spa());
    return http.build();
  }
}
