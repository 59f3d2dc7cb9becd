package io.onetimeshare.spring;

import io.onetimeshare.servlet.CreateDecision;
import io.onetimeshare.servlet.CreatePolicy;
import io.onetimeshare.servlet.Creator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may create, as the application's Spring Security decided (issue 39): the {@link Authentication} of the request,
 * from any configuration (form login, OAuth2 login, a resource server's JWTs, the application's own API keys). With
 * {@code authorities} empty, anyone authenticated may create; otherwise only holders of one of them. The anonymous
 * user is nobody. Each creator's budget is their own ({@link Creator#principal}); opening never asks.
 *
 * @since 0.3
 */
public final class SpringSecurityCreatePolicy implements CreatePolicy {
  private final Set<String> authorities;
  private final @Nullable SignInPages pages;

  /**
   * A policy.
   *
   * @param authorities the granted authorities that allow creating ({@code ROLE_ots-creator}, {@code
   *     SCOPE_ots.create}), or empty for anyone authenticated
   * @param pages where the page sends people to sign in and out, or null for no buttons
   */
  public SpringSecurityCreatePolicy(Set<String> authorities, @Nullable SignInPages pages) {
    this.authorities = Set.copyOf(authorities);
    this.pages = pages;
  }

  @Override
  public CreateDecision decide(HttpServletRequest request) {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken) {
      return CreateDecision.unauthenticated("Sign in to create secrets.", "Bearer realm=\"OneTimeShare\"");
    }
    Creator who = Creator.principal(a.getName());
    if (CreatePolicy.crossSite(request)) {
      // Spring Security's CSRF protection refuses such a request first; this is the second line
      return CreateDecision.forbidden("This create came from another site's page; it is refused. Create from this "
          + "site's own page.", who);
    }
    if (authorities.isEmpty()) {
      return CreateDecision.allow(who);
    }
    for (GrantedAuthority g : a.getAuthorities()) {
      if (authorities.contains(g.getAuthority())) {
        return CreateDecision.allow(who);
      }
    }
    return CreateDecision.forbidden("You are signed in as " + a.getName() + ", who may not create secrets here; "
        + "ask your administrator.", who);
  }

  @Override
  public Optional<SignInPages> signInPages() {
    return Optional.ofNullable(pages);
  }
}
