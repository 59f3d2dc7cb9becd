package io.onetimeshare;

/**
 * The fill link's answer token is missing or does not match the request (issue 36, finding 1): only whoever holds
 * the whole fill link, fragment included, may answer a secret request; its id alone (in every link's path) is not
 * enough. Nothing is begun and the request keeps waiting for its real answer.
 *
 * @since 0.3
 */
public final class InvalidAnswerTokenException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  private final boolean predatesTokens;

  InvalidAnswerTokenException(boolean predatesTokens, String message) {
    super(message);
    this.predatesTokens = predatesTokens;
  }

  static InvalidAnswerTokenException missing() {
    return new InvalidAnswerTokenException(false, "This fill link carries no answer token: it was cut short, or it "
        + "was made by an earlier version. Ask the asker for the whole link, or for a new request.");
  }

  static InvalidAnswerTokenException wrong() {
    return new InvalidAnswerTokenException(false, "The answer token does not match this request: use the fill link "
        + "exactly as the asker sent it.");
  }

  static InvalidAnswerTokenException predates() {
    return new InvalidAnswerTokenException(true, "This request was made before fill links carried an answer token "
        + "and cannot be answered safely. Ask the asker for a new request.");
  }

  /** Whether the request itself is from before answer tokens (it can never be answered; the asker must ask again). */
  public boolean predatesTokens() {
    return predatesTokens;
  }
}
