package io.onetimeshare.bench.floor;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor of the wrk flow (wrk/flow.lua) on this servlet container: the same two requests, answered in the same
 * shapes, by a servlet that only reads each body to its end and answers with fixed bytes (no multipart parsing, no
 * crypto, no store, no limiter), on Jetty 12 with the standalone server's thread pool (200 threads). What a create and
 * an open cost here is what any servlet implementation of the API pays before doing anything; {@code floor.sh}
 * measures it beside the standalone server in one run.
 *
 * <p>{@code java -cp benchmarks.jar io.onetimeshare.bench.floor.HttpFloorServer PORT [OPEN_BYTES=4096]} (loopback)
 */
public final class HttpFloorServer {
  private HttpFloorServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int openBytes = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("floor");
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new FloorServlet(openBytes)), "/*");
    server.setHandler(context);
    server.start();
    server.join();
  }

  /** Answers the flow's create (201 with an id and a key) and open (200 with the content) and /health. */
  static final class FloorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] CREATED = ("{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"key\":\"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\","
        + "\"url\":\"http://127.0.0.1/s/AAAAAAAAAAAAAAAAAAAAAA#BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\","
        + "\"expiresAt\":\"2026-11-28T00:00:00Z\",\"deleteToken\":\"CCCCCCCCCCCCCCCCCCCCCC\"}")
        .getBytes(StandardCharsets.US_ASCII);
    private final transient byte[] content;

    FloorServlet(int openBytes) {
      this.content = new byte[openBytes];
      Arrays.fill(content, (byte) 'x');
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] sink = new byte[8192];
      try (InputStream in = req.getInputStream()) {
        while (in.read(sink) >= 0) {
          // the body is read to its end, as any implementation must
        }
      }
      String path = req.getRequestURI();
      byte[] answer;
      if (path.endsWith("/open")) {
        resp.setStatus(200);
        resp.setContentType("application/octet-stream");
        answer = content;
      } else if (path.equals("/health")) {
        resp.setStatus(200);
        resp.setContentType("application/json");
        answer = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);
      } else {
        resp.setStatus(201);
        resp.setContentType("application/json");
        answer = CREATED;
      }
      resp.setContentLength(answer.length);
      try (OutputStream out = resp.getOutputStream()) {
        out.write(answer);
      }
    }
  }
}
