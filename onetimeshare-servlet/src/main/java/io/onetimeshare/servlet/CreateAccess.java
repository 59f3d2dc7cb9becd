package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the {@link CreatePolicy} on every create path, before any of the body is read, and charges the create budget:
 * a refusal to the client's address (so guessing tokens costs what any failure costs), an allowed create to the
 * creator's own budget. Also answers {@code GET /api/session}: what the page should show.
 */
final class CreateAccess {
  private final CreatePolicy policy;
  private final ClientLimits limits;

  CreateAccess(CreatePolicy policy, ClientLimits limits) {
    this.policy = policy;
    this.limits = limits;
  }

  /** Who creates, and whose budgets pay for it (the creator's own, else the client's address). */
  record Admitted(Creator creator, String client) {}

  /**
   * Who creates; throws the refusal (401 with a challenge, or 403) as a {@link Problem}, charged to the address. An
   * allowed create is not charged here: the caller charges {@link Admitted#client()}, with the store's put where it
   * can (issue 25).
   */
  Admitted admit(HttpServletRequest req, HttpServletResponse resp) {
    CreateDecision d = policy.decide(req);
    if (!d.allowed()) {
      limits.countCreate(limits.client(req), resp);
      String challenge = d.challenge();
      throw new Problem(d.status(), d.code(), d.message(),
          challenge == null ? Map.of() : Map.of("WWW-Authenticate", challenge));
    }
    Creator c = Objects.requireNonNull(d.creator(), "creator");
    String rateKey = c.rateKey();
    req.setAttribute(ServletSettings.CREATOR_ATTRIBUTE, c.display());
    return new Admitted(c, rateKey != null ? rateKey : limits.client(req));
  }

  /**
   * {@code {"create": "allowed" | "unauthenticated" | "forbidden" | "create_disabled", "message", "user", "signIn",
   * "signOut"}}: whether this browser may create now, who is signed in, and where to sign in and out.
   */
  ObjectNode describe(HttpServletRequest req, ObjectNode body) {
    CreateDecision d = policy.decide(req);
    body.put("create", d.allowed() ? "allowed" : d.code());
    if (!d.allowed()) {
      body.put("message", d.message());
      if (d.messageKey() != null) { // the page shows it in the reader's language
        body.put("messageKey", d.messageKey());
        ObjectNode params = body.putObject("messageParams");
        d.messageParams().forEach(params::put);
      }
    }
    Creator who = d.creator();
    if (who != null && !who.isAnonymous()) {
      body.put("user", who.name());
    }
    policy.signInPages().ifPresent(p -> body.put("signIn", req.getContextPath() + p.signIn())
        .put("signOut", req.getContextPath() + p.signOut()));
    return body;
  }
}
