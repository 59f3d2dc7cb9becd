package io.onetimeshare.examples.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Connection;

/**
 * Caps the connections one peer address holds open at once; a connection over the cap is closed as soon as it
 * opens, before anything is read from it. Jetty's own {@code ConnectionLimit} and {@code NetworkConnectionLimit} count
 * all peers together, so one peer could take them all; this counts each peer apart. Peers that are trusted proxies
 * are exempt (every client behind them shares their address; the proxy must enforce its own per-client cap).
 */
final class PerClientConnectionLimit implements Connection.Listener {
  private final int max;
  private final Predicate<String> exempt;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
  /**
   * The peer each counted connection was counted under. Taken when it opens: once closed, an end point no longer
   * knows its remote address, and a count decremented under another name (or not at all) would lock the peer out
   * after {@code max} connections in the server's lifetime, which is what happened before.
   */
  private final ConcurrentHashMap<Connection, String> counted = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  PerClientConnectionLimit(int max, Predicate<String> exempt) {
    this.max = max;
    this.exempt = exempt;
  }

  private static String peer(Connection c) {
    SocketAddress a = c.getEndPoint().getRemoteSocketAddress();
    return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
        : String.valueOf(a);
  }

  @Override
  public void onOpened(Connection connection) {
    String peer = peer(connection);
    if (exempt.test(peer)) {
      return;
    }
    int n = open.computeIfAbsent(peer, k -> new AtomicInteger()).incrementAndGet();
    counted.put(connection, peer);
    if (n > max) {
      refused.incrementAndGet();
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    String peer = counted.remove(connection);
    if (peer == null) {
      return; // exempt when it opened
    }
    open.computeIfPresent(peer, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Connections closed at once because their peer was over the cap (for logs and tests). */
  int refused() {
    return refused.get();
  }
}
