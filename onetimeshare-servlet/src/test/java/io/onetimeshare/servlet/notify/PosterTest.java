package io.onetimeshare.servlet.notify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** Issue 22: a receiver that answers without end gets no more than the cap read of its answer. */
class PosterTest {
  @Test
  void anAnswerWithoutAStatusLineIsCutAtTheCapNotAtTheDeadline() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          OutputStream out = s.getOutputStream();
          byte[] junk = new byte[4096];
          Arrays.fill(junk, (byte) 'A');
          for (int i = 0; i < 64; i++) { // 256 KiB with no line end, then silence
            out.write(junk);
          }
          out.flush();
          Thread.sleep(30_000);
        } catch (IOException | InterruptedException e) {
          // the client hung up: expected
        }
      });
      t.setDaemon(true);
      t.start();
      AddressPolicy policy = AddressPolicy.builder().allowHttp(true).allowRange("127.0.0.0/8").allowAnyPort(true)
          .build();
      AddressPolicy.Checked to = policy.check("http://127.0.0.1:" + server.getLocalPort() + "/hook");
      Poster poster = new Poster((SSLSocketFactory) SSLSocketFactory.getDefault(), 8192);
      IOException e = assertThrows(IOException.class, () -> poster.post(to, Map.of(), new byte[] {'{', '}'},
          System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
      assertTrue(e.getMessage().contains("no status line in the first"), "cut at the cap, not at the deadline: "
          + e.getMessage());
    }
  }
}
