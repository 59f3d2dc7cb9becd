package io.onetimeshare.examples.server.signin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.onetimeshare.servlet.CreateDecision;
import io.onetimeshare.servlet.CreatePolicy;
import io.onetimeshare.servlet.Creator;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sign-in with OpenID Connect for the standalone server (issue 21): the Authorization Code flow with PKCE, {@code
 * state} and {@code nonce}, against any provider found by discovery; sessions in a sealed cookie ({@link SessionSeal});
 * and the {@link CreatePolicy} that lets signed-in people of the allowed domains or groups create.
 *
 * <p>Endpoints (a servlet mapped at {@code /auth/*}): {@code GET /auth/login?return=/path} starts a sign-in, {@code
 * GET /auth/callback} finishes it, {@code POST /auth/logout} ends the session. Creates authenticated by the cookie are
 * refused unless they come from this server's own origin ({@code Origin}, or {@code Sec-Fetch-Site: same-origin}):
 * SameSite=Lax alone does not stop a same-site attacker or an old browser.
 */
public final class OidcSignIn {
  static final String LOGIN = "/auth/login";
  static final String CALLBACK = "/auth/callback";
  static final String LOGOUT = "/auth/logout";
  private static final Duration LOGIN_LIFETIME = Duration.ofMinutes(10);
  private static final System.Logger LOG = System.getLogger(OidcSignIn.class.getName());

  private final OidcSettings settings;
  private final SessionSeal seal;
  private final Clock clock;
  private final Duration clockSkew;
  private final Cache<String, Boolean> usedStates = Caffeine.newBuilder().expireAfterWrite(LOGIN_LIFETIME.plusMinutes(5))
      .maximumSize(200_000).build();
  private final io.onetimeshare.spi.Revocations revocations;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private volatile @Nullable Provider provider;
  private volatile Instant lastFailure = Instant.EPOCH;

  /** What a session cookie holds since issue 36 (claims, not a decision); older cookies sign in again. */
  private static final long SESSION_FORMAT = 2;
  /** At most this many groups are kept in a session (the cookie stays well under a browser's 4 KiB). */
  static final int MAX_GROUPS = 50;

  /** The provider's metadata and the check of its ID tokens, found once by discovery. */
  private record Provider(OIDCProviderMetadata metadata, IdTokenCheck check) {}

  public OidcSignIn(OidcSettings settings, Clock clock, Duration clockSkew) {
    this(settings, clock, clockSkew, io.onetimeshare.memory.InMemoryRevocations.create());
  }

  /**
   * A sign-in whose sign-outs are kept in {@code revocations} (the store the server keeps its secrets in, so a
   * sign-out reaches every instance).
   */
  public OidcSignIn(OidcSettings settings, Clock clock, Duration clockSkew,
      io.onetimeshare.spi.Revocations revocations) {
    this.revocations = java.util.Objects.requireNonNull(revocations, "revocations");
    this.settings = settings;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.seal = new SessionSeal(settings.sessionKey(), clock);
    if (!settings.sessionKeyConfigured()) {
      LOG.log(System.Logger.Level.WARNING, "No --session-key-file: sign-ins are valid on this instance only and "
          + "end when it restarts (see docs/operations.md, \"Sign-in\").");
    }
  }

  public OidcSignIn(OidcSettings settings) {
    this(settings, Clock.systemUTC(), Duration.ofSeconds(60));
  }

  public OidcSignIn(OidcSettings settings, io.onetimeshare.spi.Revocations revocations) {
    this(settings, Clock.systemUTC(), Duration.ofSeconds(60), revocations);
  }

  /** The provider, by discovery; retried at most every 10 s while it fails. */
  private Provider provider() throws SignInFailure {
    Provider p = provider;
    if (p != null) {
      return p;
    }
    if (clock.instant().isBefore(lastFailure.plusSeconds(10))) {
      throw new SignInFailure(503, "signin.providerDown");
    }
    try {
      OIDCProviderMetadata meta = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), 5_000, 5_000);
      p = new Provider(meta, new IdTokenCheck(meta, settings.clientId(), groupsClaim(), clockSkew, clock));
      provider = p; // no lock held while fetching: two fetches at once are harmless
      return p;
    } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException | RuntimeException e) {
      lastFailure = clock.instant();
      LOG.log(System.Logger.Level.WARNING, "OpenID Connect discovery at " + settings.issuer() + " failed: "
          + e.getMessage());
      throw new SignInFailure(503, "signin.providerDown");
    }
  }

  private String groupsClaim() {
    return settings.groupsClaim();
  }

  /** The check of this provider's ID tokens (tests forge tokens against it). */
  public IdTokenCheck idTokenCheck() throws SignInFailure {
    return provider().check();
  }

  /** A sign-in that cannot go on: the status and a message for the person. */
  public static final class SignInFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    final String key;
    final java.util.Map<String, String> params;

    /** A failure told by message {@code key} of the page's catalogs ({@code signin.*}), with name-value params. */
    SignInFailure(int status, String key, String... params) {
      super(io.onetimeshare.servlet.PageText.text("en", key, map(params)), null, false, false);
      this.status = status;
      this.key = key;
      this.params = map(params);
    }

    private static java.util.Map<String, String> map(String... nv) {
      java.util.Map<String, String> m = new java.util.HashMap<>();
      for (int i = 0; i + 1 < nv.length; i += 2) {
        m.put(nv[i], nv[i + 1]);
      }
      return java.util.Map.copyOf(m);
    }
  }

  // ---- the policy ----

  /** Signed-in people of the allowed domains and groups may create. */
  public CreatePolicy policy() {
    return new CreatePolicy() {
      @Override
      public CreateDecision decide(HttpServletRequest req) {
        return OidcSignIn.this.decide(req);
      }

      @Override
      public Optional<SignInPages> signInPages() {
        return Optional.of(new SignInPages(LOGIN, LOGOUT));
      }
    };
  }

  private static final String CHALLENGE = "OTS-SignIn realm=\"OneTimeShare\", href=\"" + LOGIN + "\"";

  CreateDecision decide(HttpServletRequest req) {
    String cookie = cookie(req, sessionCookieName(req));
    if (cookie == null) {
      return CreateDecision.unauthenticated("Sign in to create secrets.", CHALLENGE);
    }
    Optional<JWTClaimsSet> session = seal.open("session", cookie);
    if (session.isEmpty()) {
      return CreateDecision.unauthenticated(english("signin.sessionExpired", Map.of()),
          CHALLENGE + ", error=\"invalid_session\"").withMessageKey("signin.sessionExpired", Map.of());
    }
    JWTClaimsSet s = session.get();
    Identity identity = identity(s);
    String sid = sessionId(s);
    // issue 36, finding 8: a cookie from before (its decision sealed in, no id to revoke), or one signed out from any
    // copy of it, signs in again; the store that cannot answer is a 503, never an allow
    if (identity == null || sid == null || revocations.isRevoked(sid)) {
      return CreateDecision.unauthenticated(english("signin.sessionExpired", Map.of()),
          CHALLENGE + ", error=\"invalid_session\"").withMessageKey("signin.sessionExpired", Map.of());
    }
    Creator who = Creator.user(identity.name());
    if (!isSafe(req.getMethod()) && !sameOrigin(req)) {
      Map<String, String> origin = Map.of("origin", ownOrigin(req));
      return CreateDecision.forbidden(english("signin.crossSite", origin), who).withMessageKey("signin.crossSite",
          origin);
    }
    // decided now, from the claims the session holds and today's rules: tightening --oidc-allowed-domains or
    // --oidc-allowed-groups reaches people already signed in at their next request
    Refusal why = refusal(identity);
    if (why != null) {
      return CreateDecision.forbidden(english(why.key(), why.params()), who).withMessageKey(why.key(), why.params());
    }
    return CreateDecision.allow(who);
  }

  /** The identity a session cookie of the current format holds, or null for any other cookie. */
  static @Nullable Identity identity(JWTClaimsSet s) {
    try {
      Long format = s.getLongClaim("v");
      String sub = s.getSubject();
      String name = s.getStringClaim("name");
      if (format == null || format != SESSION_FORMAT || sub == null || name == null) {
        return null;
      }
      Boolean verified = s.getBooleanClaim("ev");
      java.util.List<String> groups = s.getStringListClaim("groups");
      return new Identity(sub, name, s.getStringClaim("email"), verified != null && verified,
          groups == null ? java.util.List.of() : groups);
    } catch (java.text.ParseException e) {
      return null;
    }
  }

  private static @Nullable String sessionId(JWTClaimsSet s) {
    String sid = s.getJWTID();
    return sid != null && sid.matches("[A-Za-z0-9_-]{22}") ? sid : null;
  }

  private static boolean isSafe(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** Whether an unsafe request comes from this server's own pages. */
  boolean sameOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin != null && !origin.equals("null")) {
      return MessageDigest.isEqual(origin.getBytes(StandardCharsets.UTF_8),
          ownOrigin(req).getBytes(StandardCharsets.UTF_8));
    }
    // no Origin, or "null" (a form posted from a page with Referrer-Policy: no-referrer, as ours are): the browser's
    // Sec-Fetch-Site, which no page can set, says where it came from
    return "same-origin".equals(req.getHeader("Sec-Fetch-Site"));
  }

  /** The origin of this server's pages: the public URL's, else the request's scheme and Host. */
  String ownOrigin(HttpServletRequest req) {
    Optional<URI> pub = settings.publicUrl();
    if (pub.isPresent()) {
      URI u = pub.get();
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
    String host = req.getHeader("Host");
    return req.getScheme() + "://" + (host == null ? req.getServerName() + ":" + req.getServerPort() : host);
  }

  private String base(HttpServletRequest req) {
    Optional<URI> pub = settings.publicUrl();
    if (pub.isPresent()) {
      String p = pub.get().toString();
      return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
    return ownOrigin(req);
  }

  private boolean secure(HttpServletRequest req) {
    return req.isSecure() || settings.publicUrl().map(u -> "https".equals(u.getScheme())).orElse(false);
  }

  private String sessionCookieName(HttpServletRequest req) {
    return secure(req) ? "__Host-ots_session" : "ots_session"; // __Host-: only over https, only for this host
  }

  private String loginCookieName(HttpServletRequest req) {
    return secure(req) ? "__Host-ots_login" : "ots_login";
  }

  private static @Nullable String cookie(HttpServletRequest req, String name) {
    Cookie[] all = req.getCookies();
    if (all == null) {
      return null;
    }
    for (Cookie c : all) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  private void setCookie(HttpServletRequest req, HttpServletResponse resp, String name, String value, long maxAge) {
    resp.addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
        + (secure(req) ? "; Secure" : ""));
  }

  // ---- the endpoints ----

  /** The servlet to map at {@code /auth/*}. */
  public HttpServlet servlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp);
      }
    };
  }

  void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    try {
      switch (path) {
        case LOGIN -> {
          requireMethod(req, "GET");
          admit(req, resp);
          login(req, resp);
        }
        case CALLBACK -> {
          requireMethod(req, "GET");
          admit(req, resp);
          callback(req, resp);
        }
        case LOGOUT -> {
          requireMethod(req, "POST");
          logout(req, resp);
        }
        default -> throw new SignInFailure(404, "signin.notFound");
      }
    } catch (SignInFailure f) {
      page(req, resp, f);
    }
  }

  /** Decides whether a client may start or finish a sign-in now; true admits it (issue 36, finding 6). */
  private volatile java.util.function.Predicate<HttpServletRequest> admit = r -> true;

  /**
   * Charges each {@code /auth/login} and {@code /auth/callback} to a per-client budget before anything else happens
   * (discovery, the provider's token endpoint with this server's client secret): without it, anyone could make the
   * server call the provider as often as they like, and a provider that throttles or locks the client would lock
   * everyone out. {@code admit} answers false when the client's budget is spent.
   */
  public void limit(java.util.function.Predicate<HttpServletRequest> admit) {
    this.admit = java.util.Objects.requireNonNull(admit, "admit");
  }

  private void admit(HttpServletRequest req, HttpServletResponse resp) throws SignInFailure {
    if (!admit.test(req)) {
      resp.setHeader("Retry-After", "60");
      throw new SignInFailure(429, "signin.tooMany");
    }
  }

  private static void requireMethod(HttpServletRequest req, String method) throws SignInFailure {
    if (!req.getMethod().equals(method)) {
      throw new SignInFailure(405, "signin.method", "method", method);
    }
  }

  private void login(HttpServletRequest req, HttpServletResponse resp) throws SignInFailure {
    Provider p = provider();
    String back = safeReturn(req.getParameter("return"));
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    Instant until = clock.instant().plus(LOGIN_LIFETIME);
    String login = seal.seal("login", new JWTClaimsSet.Builder().claim("state", state.getValue())
        .claim("nonce", nonce.getValue()).claim("verifier", verifier.getValue()).claim("return", back).build(), until);
    setCookie(req, resp, loginCookieName(req), login, LOGIN_LIFETIME.toSeconds());
    Scope scope = new Scope("openid");
    for (String s : settings.scopes()) {
      scope.add(s);
    }
    URI to = new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), scope,
        new ClientID(settings.clientId()), URI.create(base(req) + CALLBACK)).state(state).nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(p.metadata().getAuthorizationEndpointURI())
        .build().toURI();
    resp.setStatus(302);
    resp.setHeader("Location", to.toString());
  }

  /** A path on this server to return to; anything else (another host, a scheme) becomes "/". */
  static String safeReturn(@Nullable String r) {
    if (r == null || r.length() > 512 || !r.startsWith("/") || r.startsWith("//") || r.contains("\\")
        || r.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      return "/";
    }
    return r;
  }

  private void callback(HttpServletRequest req, HttpServletResponse resp) throws SignInFailure {
    String sealed = cookie(req, loginCookieName(req));
    setCookie(req, resp, loginCookieName(req), "", 0); // a login is used once, whatever happens next
    JWTClaimsSet login = sealed == null ? null : seal.open("login", sealed).orElse(null);
    String state = req.getParameter("state");
    if (login == null || state == null) {
      throw new SignInFailure(400, "signin.expired");
    }
    String expected = String.valueOf(login.getClaim("state"));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
      throw new SignInFailure(400, "signin.otherBrowser");
    }
    if (usedStates.asMap().putIfAbsent(state, Boolean.TRUE) != null) {
      throw new SignInFailure(400, "signin.used");
    }
    String error = req.getParameter("error");
    if (error != null) {
      throw new SignInFailure(403, "signin.providerError", "error", error.replaceAll("[^a-z_]", ""));
    }
    String code = req.getParameter("code");
    if (code == null || code.isEmpty() || code.length() > 4096) {
      throw new SignInFailure(400, "signin.noCode");
    }
    Provider p = provider();
    String idToken = exchange(p, req, code, String.valueOf(login.getClaim("verifier")));
    Identity who;
    try {
      who = p.check().check(idToken, String.valueOf(login.getClaim("nonce")));
    } catch (IdTokenCheck.Refused e) {
      LOG.log(System.Logger.Level.WARNING, "A sign-in was refused: " + e.getMessage());
      throw new SignInFailure(403, "signin.unverified");
    }
    Instant until = clock.instant().plus(settings.sessionLifetime());
    byte[] sid = new byte[16];
    random.nextBytes(sid);
    // the claims, not a decision (issue 36, finding 8): decide() applies today's rules to them on every request; the
    // random id lets a sign-out revoke every copy of this cookie
    java.util.List<String> groups = who.groups().stream().filter(g -> g.length() <= 128).limit(MAX_GROUPS).toList();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(who.subject()).claim("v", SESSION_FORMAT)
        .jwtID(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sid)).claim("name", who.name())
        .claim("ev", who.emailVerified()).claim("groups", groups);
    if (who.email() != null && who.email().length() <= 320) {
      claims.claim("email", who.email());
    }
    String session = seal.seal("session", claims.build(), until);
    setCookie(req, resp, sessionCookieName(req), session, settings.sessionLifetime().toSeconds());
    resp.setStatus(303);
    resp.setHeader("Location", base(req) + safeReturn(String.valueOf(login.getClaim("return"))));
  }

  /** The token request (code, PKCE verifier, client secret): the ID token, or a failure the person can act on. */
  private String exchange(Provider p, HttpServletRequest req, String code, String verifier) throws SignInFailure {
    try {
      TokenRequest tr = new TokenRequest.Builder(p.metadata().getTokenEndpointURI(),
          new ClientSecretBasic(new ClientID(settings.clientId()), new Secret(settings.clientSecret())),
          new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(base(req) + CALLBACK),
              new CodeVerifier(verifier))).build();
      HTTPRequest http = tr.toHTTPRequest();
      http.setConnectTimeout(5_000);
      http.setReadTimeout(5_000);
      TokenResponse r = OIDCTokenResponseParser.parse(http.send());
      if (!r.indicatesSuccess()) {
        LOG.log(System.Logger.Level.WARNING, "The provider refused the authorization code: "
            + r.toErrorResponse().getErrorObject().getCode());
        throw new SignInFailure(403, "signin.refused");
      }
      return ((OIDCTokenResponse) r.toSuccessResponse()).getOIDCTokens().getIDTokenString();
    } catch (IOException | ParseException | ClassCastException e) {
      LOG.log(System.Logger.Level.WARNING, "The token request to the provider failed: " + e.getMessage());
      throw new SignInFailure(502, "signin.badAnswer");
    }
  }

  /** Why {@code who} may not create (a message they can act on, as a catalog key), or null if they may. */
  @Nullable Refusal refusal(Identity who) {
    if (!settings.allowedDomains().isEmpty()) {
      String email = who.email();
      String domains = String.join(", ", settings.allowedDomains());
      if (email == null || !IdTokenCheck.wellFormed(email)) { // "example.com" alone is no address of example.com
        return new Refusal("signin.noEmail", Map.of("user", who.name(), "domains", domains));
      }
      if (!who.emailVerified()) {
        return new Refusal("signin.emailUnverified", Map.of("email", email));
      }
      String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      if (!settings.allowedDomains().contains(domain)) {
        return new Refusal("signin.domain", Map.of("domains", domains, "email", email));
      }
    }
    if (!settings.allowedGroups().isEmpty()
        && who.groups().stream().noneMatch(settings.allowedGroups()::contains)) {
      return new Refusal("signin.group", Map.of("user", who.name(), "groups",
          String.join(", ", settings.allowedGroups())));
    }
    return null;
  }

  /** A refusal: a catalog key of the page's texts and its placeholders. */
  record Refusal(String key, Map<String, String> params) {}

  private static String english(String key, Map<String, String> params) {
    return io.onetimeshare.servlet.PageText.text("en", key, params);
  }

  private void logout(HttpServletRequest req, HttpServletResponse resp) throws SignInFailure {
    if (!sameOrigin(req)) {
      throw new SignInFailure(403, "signin.signOutHere");
    }
    // every copy of the cookie ends with this one (issue 36, finding 8): its id is revoked until it would expire
    String cookie = cookie(req, sessionCookieName(req));
    if (cookie != null) {
      seal.open("session", cookie).ifPresent(s -> {
        String sid = sessionId(s);
        java.util.Date exp = s.getExpirationTime();
        if (sid != null && exp != null) {
          revocations.revoke(sid, exp.toInstant());
        }
      });
    }
    setCookie(req, resp, sessionCookieName(req), "", 0);
    resp.setStatus(303);
    resp.setHeader("Location", base(req) + safeReturn(req.getParameter("return")));
  }

  /** The failure page, in the language of the browser's {@code Accept-Language} (the web page's catalogs). */
  private static void page(HttpServletRequest req, HttpServletResponse resp, SignInFailure f) throws IOException {
    String lang = io.onetimeshare.servlet.PageText.language(req.getHeader("Accept-Language"));
    resp.setStatus(f.status);
    resp.setContentType("text/html; charset=utf-8");
    resp.setHeader("Content-Language", lang);
    resp.setHeader("Vary", "Accept-Language");
    String title = escape(io.onetimeshare.servlet.PageText.text(lang, "signin.title", java.util.Map.of()));
    resp.getWriter().write("<!doctype html><html lang=\"" + lang + "\" dir=\""
        + (io.onetimeshare.servlet.PageText.rightToLeft(lang) ? "rtl" : "ltr") + "\"><head><meta charset=\"utf-8\">"
        + "<title>" + title + "</title><meta name=\"viewport\" content=\"width=device-width\">"
        + "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><main><h1>" + title
        + "</h1><p role=\"alert\">" + escape(io.onetimeshare.servlet.PageText.text(lang, f.key, f.params))
        + "</p><p><a href=\"/\">" + escape(io.onetimeshare.servlet.PageText.text(lang, "signin.back", java.util.Map.of()))
        + "</a></p></main></body></html>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
