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
  private static final Pattern ID = Pattern.compile("(?<=/)[A-Za-z0-9_-]{22}(?=/|$)");
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

  /** The path with every secret id replaced by {@code {id}}. */
  static String redact(String path) {
    return ID.matcher(path).replaceAll("{id}");
  }

  @Override
  public void log(Request request, Response response) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
    String line = Instant.now() + " " + Request.getRemoteAddr(request) + " " + request.getMethod() + " "
        + redact(request.getHttpURI().getPath()) + " " + response.getStatus() + " "
        + Response.getContentBytesWritten(response) + "B " + ms + "ms";
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
