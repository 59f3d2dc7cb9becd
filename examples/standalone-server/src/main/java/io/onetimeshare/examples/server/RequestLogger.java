package io.onetimeshare.examples.server;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request to stdout ({@code docker compose logs} shows it): time, client, method, path, status, bytes
 * and milliseconds, in a fixed space-separated format. Secret ids in paths are replaced by {@code {id}} and the query
 * string is never written, so a log holds no id, key, token or filename. Written by one background thread from a
 * bounded queue: a request never waits for the terminal; when the queue is full a line is dropped and counted.
 */
final class RequestLogger implements RequestLog, AutoCloseable {
  /** The words of the routes; any other path segment is logged as {@code {id}}. */
  private static final java.util.Set<String> WORDS = java.util.Set.of("api", "secrets", "uploads", "segments", "open",
      "receipt", "finish", "s", "r", "assets", "health", "ready", "metrics", "favicon.ico", "robots.txt", "sw.js",
      "session", "auth", "login", "callback", "logout", "requests", "answer", "ask", "a", "q", "i18n", "brand-logo");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");
  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}\\.(js|css|html|ico|png|svg|json|txt)");
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean open = true;

  RequestLogger(PrintStream out) {
    writer = new Thread(() -> {
      List<String> batch = new ArrayList<>();
      while (open || !lines.isEmpty()) {
        try {
          String first = lines.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          lines.drainTo(batch, 500);
          StringBuilder b = new StringBuilder();
          batch.forEach(l -> b.append(l).append('\n'));
          out.print(b);
          out.flush();
          batch.clear();
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "ots-request-log");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * The path as the server understood it (percent-decoded, {@code ;params} removed, dot segments resolved), with every
   * segment that is not a word of a route, a segment number or an asset's name replaced by {@code {id}}: an allow-list,
   * so no spelling of an id ({@code %69...}, {@code <id>;x}, a mistyped or foreign id) reaches the log.
   */
  static String redact(org.eclipse.jetty.http.HttpURI uri) {
    String path;
    try {
      path = uri.getCanonicalPath();
    } catch (RuntimeException e) {
      path = null;
    }
    return redact(path == null ? uri.getPath() : path);
  }

  static String redact(@org.jspecify.annotations.Nullable String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (String seg : path.split("/", -1)) {
      if (b.length() > 0 || !seg.isEmpty()) {
        b.append('/');
      }
      int semi = seg.indexOf(';');
      String s = semi < 0 ? seg : seg.substring(0, semi);
      if (s.isEmpty() || WORDS.contains(s) || NUMBER.matcher(s).matches() || ASSET.matcher(s).matches()) {
        b.append(s);
      } else {
        b.append("{id}");
      }
    }
    return b.length() == 0 ? "/" : b.toString();
  }

  @Override
  public void log(Request request, Response response) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
    String line = Instant.now() + " " + Request.getRemoteAddr(request) + " " + request.getMethod() + " "
        + redact(request.getHttpURI()) + " " + response.getStatus() + " "
        + Response.getContentBytesWritten(response) + "B " + ms + "ms";
    // who created (issue 21): set by the servlet on an allowed create; a token's or a person's name, never a secret
    if (request.getAttribute(io.onetimeshare.servlet.ServletSettings.CREATOR_ATTRIBUTE) instanceof String creator) {
      line += " creator=" + creator.replaceAll("[^\\x21-\\x7e]", "?");
    }
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    writer.join(2_000);
  }
}
