package io.onetimeshare.servlet;

import java.util.Map;

/**
 * An HTTP answer other than success, decided before the core is reached: status, a stable error code for machines,
 * a message for people, and any headers that go with it (Allow, Retry-After). Carries no stack trace: it is control
 * flow for the servlet, not a failure.
 */
final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String code;
  final transient Map<String, String> headers;

  Problem(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  Problem(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  static Problem badRequest(String message) {
    return new Problem(400, "invalid_request", message);
  }

  static Problem methodNotAllowed(String allow) {
    return new Problem(405, "method_not_allowed", "This address accepts " + allow + " only.", Map.of("Allow", allow));
  }

  static Problem unsupportedMediaType(String message) {
    return new Problem(415, "unsupported_media_type", message);
  }
}
