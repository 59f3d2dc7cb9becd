package io.onetimeshare.servlet;

import io.onetimeshare.OneTimeShare;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API v1 (see docs/http-api.md) and the zero-knowledge web page for any Jakarta Servlet 6 container. Map it
 * at {@code /*} (or under a prefix such as {@code /share/*}); paths are relative to the mapping. Every body is read
 * under a byte cap whatever its framing; uploads stream into the sealer segment by segment and are charged to the
 * client's byte budget as they arrive. The host application wires the service ({@link #OneTimeShareServlet(
 * OneTimeShare, ServletSettings)}); a container that creates the servlet itself configures it through init
 * parameters ({@link #init()}).
 *
 * @since 0.1
 */
public class OneTimeShareServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** Null only between a container's no-argument construction and {@link #init()}. */
  private transient @Nullable Endpoints endpoints;
  private transient boolean ownsOts;
  private transient io.onetimeshare.servlet.notify.@Nullable Notifier notifier;

  /** Serves {@code ots} with {@code settings} (the embedding way: the host application owns both). */
  public OneTimeShareServlet(OneTimeShare ots, ServletSettings settings) {
    this.endpoints = new Endpoints(Objects.requireNonNull(ots, "ots"), Objects.requireNonNull(settings, "settings"));
  }

  /** Serves {@code ots} without rate limits. */
  public OneTimeShareServlet(OneTimeShare ots) {
    this(ots, ServletSettings.defaults());
  }

  /**
   * For containers that instantiate the servlet from {@code web.xml} or annotations: everything comes from init
   * parameters (see {@link #init()}).
   */
  public OneTimeShareServlet() {}

  /**
   * Builds the service from init parameters when the servlet was created without one: {@code storage} ({@code
   * memory} or {@code file}), {@code data-dir}, {@code memory-capacity}, {@code max-size} (e.g. {@code 10MB}),
   * {@code default-ttl} (e.g. {@code 1d}), {@code rate-create}, {@code rate-open} (e.g. {@code 100/1h} or {@code
   * off}), {@code rate-create-bytes} (e.g. {@code 256MB/7d} or {@code off}), {@code trusted-proxies}, {@code
   * public-url}, {@code create-access}, and the notifications' {@code notify-*} parameters ({@link
   * io.onetimeshare.servlet.notify.NotifyConfig}; a deliverer then runs until {@link #destroy()}). A bad value fails
   * deployment with a clear message.
   */
  @Override
  public void init() throws ServletException {
    if (endpoints != null) {
      return;
    }
    try {
      InitParams.Built b = InitParams.build(this::getInitParameter);
      endpoints = new Endpoints(b.ots(), b.settings());
      ownsOts = true;
      notifier = b.notifier();
      if (notifier != null) {
        notifier.start(); // delivers what the vault records, until destroy()
      }
    } catch (RuntimeException e) {
      throw new ServletException("OneTimeShare servlet configuration: " + e.getMessage(), e);
    }
  }

  @Override
  public void destroy() {
    Endpoints e = endpoints;
    io.onetimeshare.servlet.notify.Notifier n = notifier;
    if (n != null) {
      n.close();
    }
    if (ownsOts && e != null) {
      e.ots().close();
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Endpoints e = endpoints;
    if (e == null) {
      throw new IllegalStateException("the servlet was not initialised (the container must call init())");
    }
    e.service(req, resp);
  }
}
