package io.onetimeshare.spring;

import io.onetimeshare.servlet.CreatePolicy;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * OneTimeShare in an application with Spring Security (issue 39). Who may create is the application's {@link
 * org.springframework.security.core.Authentication} ({@link SpringSecurityCreatePolicy}), and OneTimeShare's paths
 * get a filter chain of their own, ahead of the application's, so that a receiver opens a link without an account
 * whatever the rest of the application demands: every request is let through to the servlet, which asks the create
 * policy on every create path. The chain keeps the application's sign-in (the security context comes from the same
 * session) and Spring Security's CSRF protection, required of every request that carries the browser's cookies and
 * handled as for a single-page application: the token is in the {@code XSRF-TOKEN} cookie, and the page sends it as
 * {@code X-XSRF-TOKEN}. Requests without cookies (opening a link, upload segments, API clients with tokens) carry no
 * ambient authority, so no token is asked of them.
 *
 * <p>It runs after Boot's own web security, so an application without a chain of its own keeps Boot's default one
 * for everything else. {@code onetimeshare.security.filter-chain=false}, or a bean named {@code
 * oneTimeShareSecurityFilterChain}, leaves the paths to the application.
 *
 * @since 0.3
 */
@AutoConfiguration(after = OneTimeShareAutoConfiguration.class,
    afterName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration")
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, io.onetimeshare.servlet.OneTimeShareServlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "onetimeshare.enabled", matchIfMissing = true)
@org.springframework.boot.context.properties.EnableConfigurationProperties(OneTimeShareProperties.class)
public class OneTimeShareSecurityAutoConfiguration {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  /** The create policy of {@code onetimeshare.create.*}, with Spring Security's authentication. */
  @Bean
  @ConditionalOnMissingBean
  CreatePolicy oneTimeShareCreatePolicy(OneTimeShareProperties p) {
    OneTimeShareProperties.Create c = p.create();
    return switch (c.access()) {
      case ANYONE, NOBODY -> OneTimeShareAutoConfiguration.fixedPolicy(c.access());
      case AUTHENTICATED -> new SpringSecurityCreatePolicy(Set.of(), pages(c));
      case AUTHORITY -> {
        if (c.authorities().isEmpty()) {
          throw new io.onetimeshare.InvalidArgumentException("onetimeshare.create.access=authority needs "
              + "onetimeshare.create.authorities, e.g. ROLE_ots-creator.");
        }
        yield new SpringSecurityCreatePolicy(c.authorities(), pages(c));
      }
    };
  }

  private static CreatePolicy.@org.jspecify.annotations.Nullable SignInPages pages(OneTimeShareProperties.Create c) {
    String in = c.signIn();
    return in == null || in.isBlank() ? null : new CreatePolicy.SignInPages(in, c.signOut());
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 100)
  @ConditionalOnMissingBean(name = "oneTimeShareSecurityFilterChain")
  @ConditionalOnBooleanProperty(name = "onetimeshare.security.filter-chain", matchIfMissing = true)
  SecurityFilterChain oneTimeShareSecurityFilterChain(HttpSecurity http, OneTimeShareProperties p) throws Exception {
    String path = p.path().endsWith("/*") ? p.path().substring(0, p.path().length() - 2) : p.path();
    RequestMatcher withCookies = r -> !SAFE.contains(r.getMethod()) && r.getHeader("Cookie") != null;
    http.securityMatcher(r -> under(r, path))
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .csrf(c -> c.spa().requireCsrfProtectionMatcher(withCookies))
        // answered here, as the servlet answers: a 403 whose body says why (Spring's default sends an error page,
        // which the application's own chain may turn into a redirect to its sign-in)
        .exceptionHandling(e -> e.accessDeniedHandler(OneTimeShareSecurityAutoConfiguration::refuse))
        .addFilterAfter(new CsrfCookie(), org.springframework.security.web.csrf.CsrfFilter.class)
        .requestCache(rc -> rc.disable())
        .headers(h -> h.disable()); // the servlet sets its own (a strict CSP, no framing, no referrer)
    return http.build();
  }

  private static void refuse(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
      org.springframework.security.access.AccessDeniedException e) throws java.io.IOException {
    boolean csrf = e instanceof org.springframework.security.web.csrf.CsrfException;
    response.setStatus(403);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(csrf
        ? "{\"error\":\"csrf_token\",\"message\":\"This request carries this site's cookies but not its "
            + "anti-forgery token (the X-XSRF-TOKEN header, from the XSRF-TOKEN cookie). Reload the page and try "
            + "again.\"}"
        : "{\"error\":\"forbidden\",\"message\":\"This request is not allowed.\"}");
  }

  private static boolean under(HttpServletRequest r, String path) {
    String uri = r.getRequestURI().substring(r.getContextPath().length());
    return uri.equals(path) || uri.startsWith(path + "/");
  }

  /** Renders the deferred CSRF token, so the {@code XSRF-TOKEN} cookie is there for the page to read. */
  static final class CsrfCookie extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
        jakarta.servlet.FilterChain chain) throws jakarta.servlet.ServletException, java.io.IOException {
      if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken t) {
        var unused = t.getToken();
      }
      chain.doFilter(request, response);
    }
  }
}
