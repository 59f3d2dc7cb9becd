package io.onetimeshare.examples.server;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself (before the servlet: ambiguous URIs, bad headers, too-large headers) in the same
 * JSON shape and with the same security headers as the API's own errors.
 */
final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    return generateAcceptableResponse(request, response, callback, "application/json", List.of(),
        response.getStatus(), null, null);
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
      String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
    String reason = HttpStatus.getMessage(code);
    String codeName = code == 404 ? "not_found" : code == 405 ? "method_not_allowed" : code == 413 ? "too_large"
        : code == 431 ? "headers_too_large" : code >= 500 ? "internal_error" : "invalid_request";
    String text = code >= 500 ? "Something went wrong on the server." : "The request was rejected: "
        + (reason == null ? "bad request" : reason.toLowerCase(java.util.Locale.ROOT)) + ".";
    String body = "{\"error\":\"" + codeName + "\",\"message\":\"" + text.replace("\"", "'") + "\"}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.write(true, BufferUtil.toBuffer(body, StandardCharsets.UTF_8), callback);
    return true;
  }
}
