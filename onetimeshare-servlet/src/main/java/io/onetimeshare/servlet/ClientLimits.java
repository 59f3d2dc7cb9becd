package io.onetimeshare.servlet;

import io.onetimeshare.spi.Charge;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.servlet.internal.BoundedInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every per-client budget the servlet enforces, keyed by one client identity: request counts (create; open, peek and
 * delete), and the upload byte budget, charged as a body arrives. Answers 429 with {@code Retry-After} and the
 * {@code RateLimit-*} headers.
 */
final class ClientLimits {
  private final ServletSettings settings;

  ClientLimits(ServletSettings settings) {
    this.settings = settings;
  }

  /** The client, as every limit sees it (peer, or forwarded client behind a trusted proxy; IPv6 by network). */
  String client(HttpServletRequest req) {
    if (req.getAttribute(ServletSettings.CLIENT_ATTRIBUTE) instanceof String known) {
      return known;
    }
    return settings.clientOf(req.getRemoteAddr(), Collections.list(req.getHeaders("X-Forwarded-For")));
  }

  void countCreate(String client, HttpServletResponse resp) {
    count(settings.createLimiter(), client, resp);
  }

  /** Opens, peeks and deletes share one budget: everything that touches an existing secret. */
  void countAccess(String client, HttpServletResponse resp) {
    count(settings.openLimiter(), client, resp);
  }

  /**
   * The create budget as a charge the store may fold into its put (issue 25: one round trip); null without a limit.
   */
  @Nullable Charge createCharge(String client, HttpServletResponse resp) {
    RateLimiter l = settings.createLimiter();
    return l == null ? null : new Charge(l, client, 1, d -> decided(d, resp));
  }

  /** The access budget of one request as a batch the store charges with its read or claim (empty without a limit). */
  Charge.Batch accessCharges(String client, HttpServletResponse resp) {
    Charge c = accessCharge(client, resp);
    return Charge.Batch.of(c == null ? java.util.List.of() : java.util.List.of(c));
  }

  /** A small create's count and byte budgets as a batch the store charges with its put (issue 25). */
  Charge.Batch createCharges(String client, HttpServletResponse resp, long declared) {
    java.util.List<Charge> due = new java.util.ArrayList<>(2);
    java.util.Optional.ofNullable(createCharge(client, resp)).ifPresent(due::add);
    java.util.Optional.ofNullable(bytesCharge(client, declared)).ifPresent(due::add);
    return Charge.Batch.of(due);
  }

  /** The open/peek/delete budget as a charge the store may fold into its claim; null without a limit. */
  @Nullable Charge accessCharge(String client, HttpServletResponse resp) {
    RateLimiter l = settings.openLimiter();
    return l == null ? null : new Charge(l, client, 1, d -> decided(d, resp));
  }

  /** The byte budget for a body of {@code declared} bytes, as a charge; null without a limit or a length. */
  @Nullable Charge bytesCharge(String client, long declared) {
    RateLimiter l = settings.createBytesLimiter();
    return l == null || declared <= 0 ? null : new Charge(l, client, declared, d -> bytesDecided(l, d));
  }

  private static void count(@Nullable RateLimiter limiter, String client, HttpServletResponse resp) {
    if (limiter == null) {
      return;
    }
    decided(limiter.tryAcquire(client), resp);
  }

  private static void decided(RateDecision d, HttpServletResponse resp) {
    resp.setHeader("RateLimit-Limit", Long.toString(d.limit()));
    resp.setHeader("RateLimit-Remaining", Long.toString(d.remaining()));
    resp.setHeader("RateLimit-Reset", Long.toString(ceilSeconds(d.resetAfter())));
    if (!d.allowed()) {
      long retry = Math.max(1, ceilSeconds(d.retryAfter()));
      throw new Problem(429, "rate_limited", "Too many requests from your address; retry in " + retry + " s.",
          Map.of("Retry-After", Long.toString(retry)));
    }
  }

  /**
   * The body under {@code cap}, charged to the client's byte budget: a declared length at once (or, {@code
   * prepaid}, by a charge that goes with the store's put), and anything beyond it as it comes.
   */
  BoundedInputStream upload(HttpServletRequest req, String client, long cap, boolean prepaid) throws IOException {
    RateLimiter bytes = settings.createBytesLimiter();
    BoundedInputStream in = Bodies.bounded(req, cap, n -> chargeBytes(bytes, client, n));
    long declared = req.getContentLengthLong();
    if (bytes != null && declared > 0) {
      if (!prepaid) {
        chargeBytes(bytes, client, declared);
      }
      in.prepaid(declared);
    }
    return in;
  }

  private static void chargeBytes(@Nullable RateLimiter bytes, String client, long n) {
    if (bytes == null || n <= 0) {
      return;
    }
    bytesDecided(bytes, bytes.tryAcquire(client, n));
  }

  private static void bytesDecided(RateLimiter bytes, RateDecision d) {
    if (!d.allowed()) {
      long retry = Math.max(1, ceilSeconds(d.retryAfter()));
      throw new Problem(429, "rate_limited", "Your address has uploaded too much recently (a budget of "
          + d.limit() + " bytes per " + bytes.limit().period().toSeconds() + " s); retry in " + retry + " s.",
          Map.of("Retry-After", Long.toString(retry), "Connection", "close"));
    }
  }

  private static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }
}
