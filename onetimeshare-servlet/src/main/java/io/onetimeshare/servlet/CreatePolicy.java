package io.onetimeshare.servlet;

import io.onetimeshare.ApiTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may create secrets (issue 21). Every create path asks it first (JSON, multipart and raw {@code POST
 * /api/secrets}, and {@code POST /api/uploads}); opening, receipts and deleting never do: a receiver needs no account.
 * A refused request still costs the client's create budget (by address), so guessing tokens is rate limited like any
 * other failure; an allowed one is charged to the creator's own budget ({@link Creator#rateKey()}).
 *
 * <p>A host application that already signs people in (Spring Security, a container realm, a gateway) needs nothing of
 * ours for identity: {@link #authenticated()} and {@link #inRole(String)} use the container's principal.
 * Implementations must be thread-safe and quick; a policy that consults a store (API tokens) lets its
 * {@link io.onetimeshare.StoreUnavailableException} through, which the servlet answers with 503.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface CreatePolicy {
  /** Decides for one request; must not read its body. */
  CreateDecision decide(HttpServletRequest request);

  /** Where people sign in and out, when this policy has a sign-in page (the page shows the buttons). */
  default Optional<SignInPages> signInPages() {
    return Optional.empty();
  }

  /**
   * The pages of a sign-in, as paths on this server (the page links to them).
   *
   * @param signIn starts a sign-in ({@code GET}); the page adds {@code ?return=<its path>}
   * @param signOut ends the session ({@code POST})
   */
  record SignInPages(String signIn, String signOut) {
    public SignInPages {
      Objects.requireNonNull(signIn, "signIn");
      Objects.requireNonNull(signOut, "signOut");
    }
  }

  /** Anyone who reaches the server may create (the default: a public instance). */
  static CreatePolicy anyone() {
    return r -> CreateDecision.allow(Creator.anonymous());
  }

  /** Nobody may: the instance only opens secrets and serves receipts (the public half of a split deployment). */
  static CreatePolicy nobody() {
    return r -> CreateDecision.closed("This server only opens secrets; create them where your organisation does.");
  }

  /**
   * Any principal the container authenticated ({@link HttpServletRequest#getUserPrincipal()}), from this site's own
   * pages or from clients that are no browser (see {@link #crossSite}).
   */
  static CreatePolicy authenticated() {
    return r -> {
      java.security.Principal p = r.getUserPrincipal();
      if (p == null) {
        return signInFirst();
      }
      return crossSite(r) ? crossSiteRefused(p) : CreateDecision.allow(Creator.principal(p.getName()));
    };
  }

  /**
   * Whether a request that changes something comes from another site's page (issue 36, finding 5). The container's
   * credentials (BASIC authentication, its session cookie, a client certificate) are sent by the browser by itself,
   * whichever page made the request, so a form on another site could create as the signed-in person, on their
   * budget. {@code Sec-Fetch-Site}, which no page can set, decides where the browser sends it; otherwise an {@code
   * Origin} that is not this server's. A request with neither is no browser's (a script with its own credentials) and
   * is not refused. Bearer tokens are never sent by a browser by itself and are not checked.
   */
  static boolean crossSite(HttpServletRequest r) {
    String m = r.getMethod();
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
      return false;
    }
    String site = r.getHeader("Sec-Fetch-Site");
    if (site != null) {
      return !site.equals("same-origin") && !site.equals("none");
    }
    String origin = r.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    int port = r.getServerPort();
    boolean defaultPort = (r.getScheme().equals("https") && port == 443) || (r.getScheme().equals("http") && port == 80);
    String own = r.getScheme() + "://" + r.getServerName() + (defaultPort ? "" : ":" + port);
    return !origin.equalsIgnoreCase(own);
  }

  private static CreateDecision crossSiteRefused(java.security.Principal p) {
    return CreateDecision.forbidden("This create came from another site's page; it is refused, as your sign-in here "
        + "would otherwise be used by any site you visit. Create from this site's own page.",
        Creator.principal(p.getName()));
  }

  /** Principals the container puts in {@code role} ({@link HttpServletRequest#isUserInRole(String)}). */
  static CreatePolicy inRole(String role) {
    Objects.requireNonNull(role, "role");
    return r -> {
      java.security.Principal p = r.getUserPrincipal();
      if (p == null) {
        return signInFirst();
      }
      if (crossSite(r)) {
        return crossSiteRefused(p);
      }
      return r.isUserInRole(role) ? CreateDecision.allow(Creator.principal(p.getName()))
          : CreateDecision.forbidden("You are signed in as " + p.getName() + ", who may not create secrets here "
              + "(the role '" + role + "' is needed); ask your administrator.", Creator.principal(p.getName()));
    };
  }

  private static CreateDecision signInFirst() {
    return CreateDecision.unauthenticated("Sign in to create secrets.", "Basic realm=\"OneTimeShare\"");
  }

  /**
   * Holders of an API token, sent as {@code Authorization: Bearer <token>}; checked against the store on every
   * request, so a revocation takes effect at once on every instance.
   */
  static CreatePolicy apiTokens(ApiTokens tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return r -> {
      String h = r.getHeader("Authorization");
      if (h == null || h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        return CreateDecision.unauthenticated(
            "Creating needs an API token here: send it as 'Authorization: Bearer <token>'.",
            "Bearer realm=\"OneTimeShare\"");
      }
      ApiTokens.Check c = tokens.check(h.substring(7).strip());
      if (!c.valid()) {
        return CreateDecision.unauthenticated(c.refusal(),
            "Bearer realm=\"OneTimeShare\", error=\"invalid_token\"");
      }
      return CreateDecision.allow(Creator.token(java.util.Objects.requireNonNull(c.token()).name()));
    };
  }

  /**
   * The first of {@code policies} that allows; if none does, the most useful refusal: a 403 of someone known (they
   * can act on it) before a 401, and a 401 whose challenges name every way in.
   */
  static CreatePolicy either(CreatePolicy... policies) {
    List<CreatePolicy> all = List.of(policies);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("either() needs at least one policy");
    }
    return new CreatePolicy() {
      @Override
      public CreateDecision decide(HttpServletRequest r) {
        List<CreateDecision> refusals = new ArrayList<>();
        for (CreatePolicy p : all) {
          CreateDecision d = p.decide(r);
          if (d.allowed()) {
            return d;
          }
          refusals.add(d);
        }
        for (CreateDecision d : refusals) {
          if (d.status() == 403 && d.creator() != null) {
            return d;
          }
        }
        // a presented credential that failed says why; else every way in is offered
        for (CreateDecision d : refusals) {
          if (d.status() == 401 && d.challenge() != null && d.challenge().contains("error=")) {
            return d;
          }
        }
        StringBuilder challenges = new StringBuilder();
        List<String> messages = new ArrayList<>();
        for (CreateDecision d : refusals) {
          if (d.status() == 401) {
            challenges.append(challenges.length() == 0 ? "" : ", ").append(d.challenge());
            messages.add(d.message());
          }
        }
        if (challenges.length() == 0) {
          return refusals.get(0);
        }
        return CreateDecision.unauthenticated(String.join(" Or: ", messages), challenges.toString());
      }

      @Override
      public Optional<SignInPages> signInPages() {
        return all.stream().map(CreatePolicy::signInPages).flatMap(Optional::stream).findFirst();
      }
    };
  }
}
