package io.onetimeshare.servlet;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CreatePolicy}'s answer for one request (issue 21): allowed (with who is creating), or refused with the
 * status the client gets: {@code 401} when it has not shown who it is (with a {@code WWW-Authenticate} challenge),
 * {@code 403} when it has and may not, or when this instance creates nothing at all.
 *
 * @param status 0 when allowed, else 401 or 403
 * @param code the error code of a refusal ({@code unauthenticated}, {@code forbidden}, {@code create_disabled})
 * @param message for the person refused: what to do about it
 * @param creator who creates (allowed), or who was refused when known (a signed-in person outside the allowed domains)
 * @param challenge the {@code WWW-Authenticate} value of a 401
 * @param messageKey the message as a key of the page's catalogs (issue 24), so the page shows it in the reader's
 *     language; null when the message has none
 * @param messageParams the key's placeholders
 * @since 0.3
 */
public record CreateDecision(int status, String code, String message, @Nullable Creator creator,
    @Nullable String challenge, @Nullable String messageKey, Map<String, String> messageParams) {
  public CreateDecision(int status, String code, String message, @Nullable Creator creator,
      @Nullable String challenge) {
    this(status, code, message, creator, challenge, null, Map.of());
  }

  public CreateDecision {
    messageParams = Map.copyOf(messageParams);
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    if (status != 0 && status != 401 && status != 403) {
      throw new IllegalArgumentException("a decision is allowed (0), 401 or 403");
    }
    if (status == 0 && creator == null) {
      throw new IllegalArgumentException("an allowed create names its creator");
    }
    if (status == 401 && challenge == null) {
      throw new IllegalArgumentException("a 401 carries a WWW-Authenticate challenge");
    }
  }

  public static CreateDecision allow(Creator creator) {
    return new CreateDecision(0, "", "", Objects.requireNonNull(creator, "creator"), null);
  }

  /** 401: the client has not shown who it is; {@code challenge} goes into {@code WWW-Authenticate}. */
  public static CreateDecision unauthenticated(String message, String challenge) {
    return new CreateDecision(401, "unauthenticated", message, null, Objects.requireNonNull(challenge, "challenge"));
  }

  /** 403: {@code who} is known and may not create. */
  public static CreateDecision forbidden(String message, @Nullable Creator who) {
    return new CreateDecision(403, "forbidden", message, who, null);
  }

  /** 403: this instance creates nothing (an open-only public instance). */
  public static CreateDecision closed(String message) {
    return new CreateDecision(403, "create_disabled", message, null, null);
  }

  /**
   * This refusal with its message given as catalog key {@code key} (the {@code message} stays, for API clients): the
   * page shows the key's text in the reader's language.
   */
  public CreateDecision withMessageKey(String key, Map<String, String> params) {
    return new CreateDecision(status, code, message, creator, challenge, Objects.requireNonNull(key, "key"), params);
  }

  public boolean allowed() {
    return status == 0;
  }
}
