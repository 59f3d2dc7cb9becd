package io.onetimeshare.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A lean HTTP/1.1 client for the load tool: one keep-alive connection per virtual user, requests written as bytes,
 * responses parsed just enough (status, Content-Length or chunked body). It costs a fraction of the CPU of a
 * general-purpose client, so the tool can measure servers far faster than the original stack.
 */
final class MiniHttp implements AutoCloseable {
  record Response(int status, byte[] body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  MiniHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  private void connect() throws IOException {
    close();
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(60_000);
    try {
      s.connect(new InetSocketAddress(host, port), 5_000);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    socket = s;
  }

  Response post(String path, String contentType, List<byte[]> body, String extraHeaders) throws IOException {
    boolean reused = socket != null;
    if (!reused) {
      connect();
    }
    try {
      return exchange(path, contentType, body, extraHeaders);
    } catch (EOFException | java.net.SocketException e) {
      if (!reused) {
        throw e;
      }
      connect(); // the server closed an idle keep-alive connection: one fresh try
      return exchange(path, contentType, body, extraHeaders);
    }
  }

  private Response exchange(String path, String contentType, List<byte[]> body, String extraHeaders)
      throws IOException {
    long len = 0;
    for (byte[] b : body) {
      len += b.length;
    }
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + len + "\r\n" + extraHeaders + "\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] b : body) {
      out.write(b);
    }
    out.flush();
    String status = line();
    if (status.isEmpty()) {
      throw new EOFException("connection closed before a response");
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int c = h.indexOf(':');
      String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(c + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {
          // not needed
        }
      }
    }
    byte[] data;
    if (chunked) {
      java.util.List<byte[]> chunks = new java.util.ArrayList<>();
      int total = 0;
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        chunks.add(readN(n));
        total += n;
        line();
      }
      data = new byte[total];
      int at = 0;
      for (byte[] c : chunks) {
        System.arraycopy(c, 0, data, at, c.length);
        at += c.length;
      }
    } else if (contentLength >= 0) {
      data = readN((int) contentLength);
    } else {
      data = in.readAllBytes();
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, data);
  }

  private byte[] readN(int n) throws IOException {
    byte[] b = new byte[n];
    if (in.readNBytes(b, 0, n) != n) {
      throw new EOFException("short body");
    }
    return b;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int l = sb.length();
        if (l > 0 && sb.charAt(l - 1) == '\r') {
          sb.setLength(l - 1);
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
    if (sb.length() == 0) {
      return "";
    }
    throw new EOFException("connection closed mid-line");
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
