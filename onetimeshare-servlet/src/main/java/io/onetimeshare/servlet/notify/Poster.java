package io.onetimeshare.servlet.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One webhook request, HTTP/1.1 over a socket this class opens to an address {@link AddressPolicy} checked: no DNS
 * lookup happens here (the JDK's HttpClient would resolve the name again, which is what DNS rebinding exploits), the
 * certificate is verified for the URL's host name, nothing but the status line is read (at most {@code maxBytes}),
 * redirects are answers like any other, and the whole attempt ends by its deadline whatever the receiver does: a
 * watchdog closes the socket at the deadline (issue 36, finding 2), so a receiver that drips its TLS handshake or its
 * status line a byte at a time, or stops reading, cannot hold an attempt past it (a read timeout alone restarts with
 * every byte).
 */
final class Poster {
  /** One daemon thread for every poster: it only closes sockets whose deadline passed. */
  private static final java.util.concurrent.ScheduledThreadPoolExecutor WATCHDOG;

  static {
    WATCHDOG = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "onetimeshare-notify-watchdog");
      t.setDaemon(true);
      return t;
    });
    WATCHDOG.setRemoveOnCancelPolicy(true);
  }

  /** A failure this class describes itself: its message names no host, address or certificate. */
  static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(String message, @org.jspecify.annotations.Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private final SSLSocketFactory tls;
  private final int maxBytes;

  Poster(SSLSocketFactory tls, int maxBytes) {
    this.tls = tls;
    this.maxBytes = maxBytes;
  }

  /** POSTs {@code body}; the HTTP status, or an exception when there is none by {@code deadlineNanos}. */
  int post(AddressPolicy.Checked to, Map<String, String> headers, byte[] body, long deadlineNanos)
      throws IOException {
    Socket raw = connect(to.addresses(), to.port(), deadlineNanos);
    java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
      cut.set(true);
      try {
        raw.close(); // ends a blocked handshake, write or read at once (a layered TLS socket fails with it)
      } catch (IOException ignored) {
        // closed already
      }
    }, Math.max(0, deadlineNanos - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
    try {
      return exchange(raw, to, headers, body, deadlineNanos);
    } catch (IOException e) {
      if (cut.get()) {
        throw new Failure("no answer before the attempt's deadline (the connection was closed)", e);
      }
      throw e;
    } finally {
      guard.cancel(false);
      raw.close();
    }
  }

  private int exchange(Socket raw, AddressPolicy.Checked to, Map<String, String> headers, byte[] body,
      long deadlineNanos) throws IOException {
    try (Socket s = to.tls() ? wrap(raw, to.host(), to.port(), deadlineNanos) : raw) {
      StringBuilder req = new StringBuilder();
      String path = to.uri().getRawPath() == null || to.uri().getRawPath().isEmpty() ? "/" : to.uri().getRawPath();
      if (to.uri().getRawQuery() != null) {
        path += "?" + to.uri().getRawQuery();
      }
      String host = to.host().contains(":") ? "[" + to.host() + "]" : to.host();
      boolean defaultPort = to.port() == (to.tls() ? 443 : 80);
      req.append("POST ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(host).append(defaultPort ? "" : ":" + to.port()).append("\r\n")
          .append("User-Agent: OneTimeShare-Webhooks/1\r\n")
          .append("Content-Type: application/json\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n")
          .append("Connection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      timeout(s, deadlineNanos);
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return status(s, deadlineNanos);
    }
  }

  private static Socket connect(List<InetAddress> addresses, int port, long deadlineNanos) throws IOException {
    IOException last = null;
    for (InetAddress a : addresses) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(a, port), remainingMs(deadlineNanos));
        return s;
      } catch (IOException e) {
        s.close();
        last = e;
      }
    }
    throw last != null ? last : new Failure("no address", null);
  }

  private SSLSocket wrap(Socket raw, String host, int port, long deadlineNanos) throws IOException {
    SSLSocket s = (SSLSocket) tls.createSocket(raw, host, port, true);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
    if (!host.contains(":") && !host.matches("[0-9.]+")) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    s.setSSLParameters(p);
    timeout(s, deadlineNanos);
    s.startHandshake();
    return s;
  }

  private int status(Socket s, long deadlineNanos) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[Math.min(maxBytes, 1024)];
    int n = 0;
    int total = 0;
    while (true) {
      for (int i = 0; i + 1 < n; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          return parse(new String(buf, 0, i, StandardCharsets.ISO_8859_1));
        }
      }
      if (n == buf.length || total >= maxBytes) {
        throw new Failure("no status line in the first " + total + " bytes of the answer", null);
      }
      timeout(s, deadlineNanos);
      int r;
      try {
        r = in.read(buf, n, buf.length - n);
      } catch (SocketTimeoutException e) {
        throw new Failure("no answer before the attempt's deadline", e);
      }
      if (r < 0) {
        throw new Failure("the connection closed before a status line", null);
      }
      n += r;
      total += r;
    }
  }

  private static int parse(String line) throws IOException {
    String[] f = line.split(" ", 3);
    if (f.length < 2 || !f[0].startsWith("HTTP/1.") || !f[1].matches("[1-5][0-9][0-9]")) {
      throw new Failure("not an HTTP status line", null);
    }
    return Integer.parseInt(f[1]);
  }

  private static void timeout(Socket s, long deadlineNanos) throws IOException {
    s.setSoTimeout(remainingMs(deadlineNanos));
  }

  private static int remainingMs(long deadlineNanos) throws SocketTimeoutException {
    long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("the attempt's deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  /** Why an attempt failed, for the log: the poster's own words, else the kind of failure; never a host name. */
  static String describe(Exception e) {
    if (e instanceof Poster.Failure) {
      return String.valueOf(e.getMessage());
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "TLS failed (a certificate not valid for the URL's host or not trusted, or no common protocol)";
    }
    if (e instanceof java.net.ConnectException) {
      return "no connection (refused or unreachable)";
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return "no connection before the attempt's deadline";
    }
    return e.getClass().getSimpleName();
  }
}
