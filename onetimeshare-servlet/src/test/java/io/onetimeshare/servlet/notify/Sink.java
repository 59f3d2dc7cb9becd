package io.onetimeshare.servlet.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile receiver on loopback (issue 36, finding 2): {@link Mode#DRIP} sends one byte of a TLS record (or of a
 * status line) every 100 ms and never finishes; {@link Mode#SILENT} reads the request and never answers. It records
 * every connection's lifetime and the {@code webhook-id} it carried, and how many were open at once; it stops by
 * itself after {@code lifetime} and on close.
 */
final class Sink implements AutoCloseable {
  enum Mode { DRIP_TLS, DRIP_STATUS, SILENT }

  /** One connection: when it opened and closed (nanoTime) and the webhook-id of its request, if one was read. */
  record Connection(long opened, long closed, String webhookId) {
    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(closed - opened);
    }
  }

  private final ServerSocket server;
  private final Mode mode;
  private final long endNanos;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private final List<Connection> done = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> live = Collections.synchronizedList(new ArrayList<>());

  Sink(Mode mode, int lifetimeSeconds) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds);
    Thread t = new Thread(this::accept, "sink-" + mode);
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int maxOpen() {
    return maxOpen.get();
  }

  List<Connection> connections() {
    synchronized (done) {
      return List.copyOf(done);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        live.add(s);
        Thread t = new Thread(() -> serve(s), "sink-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    long opened = System.nanoTime();
    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    String id = "";
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      if (mode == Mode.SILENT) {
        id = webhookId(in);
        // keep reading until the client gives up: a read returns -1 (or fails) when it closes
        while (System.nanoTime() < endNanos && in.read() >= 0) {
          // nothing: the answer never comes
        }
      } else {
        if (mode == Mode.DRIP_STATUS) {
          id = webhookId(in);
        }
        byte[] drip = mode == Mode.DRIP_TLS
            ? new byte[] {0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00, 0x3f, (byte) 0xfd}
            : "HTTP/1.1 200 OK".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; System.nanoTime() < endNanos; i++) {
          out.write(drip[Math.min(i, drip.length - 1)]); // then the same byte, for as long as the sink lives
          out.flush();
          Thread.sleep(100);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client closed the connection: what the test waits for
    } finally {
      open.decrementAndGet();
      live.remove(s);
      done.add(new Connection(opened, System.nanoTime(), id));
    }
  }

  /** Reads the request's head and returns its webhook-id header ("" when none). */
  private static String webhookId(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "webhook-id:", 0, 11)) {
        return line.substring(11).trim();
      }
    }
    return "";
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (live) {
      for (Socket s : live) {
        s.close();
      }
    }
  }
}
