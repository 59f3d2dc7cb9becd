package io.onetimeshare.examples.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics} in Prometheus text format, answered only on the connector named "management". */
final class MetricsEndpoint extends Handler.Abstract {
  private final Metrics metrics;

  MetricsEndpoint(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!"management".equals(request.getConnectionMetaData().getConnector().getName())) {
      return false;
    }
    if (!request.getHttpURI().getPath().equals("/metrics")) {
      response.setStatus(404);
      callback.succeeded();
      return true;
    }
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
