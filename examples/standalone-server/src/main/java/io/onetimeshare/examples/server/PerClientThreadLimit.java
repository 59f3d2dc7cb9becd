package io.onetimeshare.examples.server;

import io.onetimeshare.servlet.ServletSettings;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;

/**
 * Jetty's {@link ThreadLimitHandler} (at most N requests of one client hold a thread at once; the others wait
 * without a thread until one finishes), keyed by the same client identity as the servlet's rate limits: the peer,
 * or behind a trusted proxy the forwarded client, IPv6 by network.
 */
final class PerClientThreadLimit extends ThreadLimitHandler {
  private final ServletSettings settings;

  PerClientThreadLimit(ServletSettings settings, int threadsPerClient) {
    super(null, false);
    this.settings = settings;
    setThreadLimit(threadsPerClient);
  }

  @Override
  protected String getRemoteIP(Request request) {
    List<String> forwarded = new ArrayList<>(1);
    for (HttpField f : request.getHeaders()) {
      if (f.getHeader() == HttpHeader.X_FORWARDED_FOR) {
        forwarded.add(f.getValue());
      }
    }
    String client = settings.clientOf(Request.getRemoteAddr(request), forwarded);
    request.setAttribute(ServletSettings.CLIENT_ATTRIBUTE, client); // the servlet's limits reuse it
    return client;
  }
}
