package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-client connection cap counts connections open at once, not connections ever made. */
class ConnectionLimitTest {
  private static final int MAX = 8;

  private static String health(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    int n = in.read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
  }

  private static Socket connect(int port) throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void aClientMayConnectAgainAndAgainButHoldOnlyMaxAtOnce() throws Exception {
    ServerOptions o = ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--warmup", "off",
        "--request-log", "off", "--max-connections-per-client", Integer.toString(MAX)}, Map.of());
    try (StandaloneServer server = StandaloneServer.start(o)) {
      int port = server.port();
      // far more connections over time than the cap, one after another: every one is served (before the fix the
      // closed ones were never counted down, and the 9th connection of the server's lifetime was refused)
      for (int i = 0; i < 20 * MAX; i++) {
        try (Socket s = connect(port)) {
          assertTrue(health(s).startsWith("HTTP/1.1 200"), "connection " + i + " was served");
        }
        awaitCountedDown(port, i);
      }
      // MAX held open at once: the next one is closed before it is read
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < MAX; i++) {
          Socket s = connect(port);
          held.add(s);
          assertTrue(health(s).startsWith("HTTP/1.1 200"), "held connection " + i);
        }
        try (Socket over = connect(port)) {
          String answer;
          try {
            answer = health(over);
          } catch (IOException e) {
            answer = ""; // reset: refused as well
          }
          assertEquals("", answer, "the connection over the cap is closed unanswered");
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      awaitCountedDown(port, -1);
    }
  }

  /** Closing is asynchronous on the server: wait (with a deadline) until a new connection is served again. */
  private static void awaitCountedDown(int port, int after) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (Socket s = connect(port)) {
        if (health(s).startsWith("HTTP/1.1 200")) {
          return;
        }
      } catch (IOException e) {
        // refused: not yet counted down
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no connection served after connection " + after + " was closed");
      }
      Thread.onSpinWait();
    }
  }
}
