package io.onetimeshare.file;

import io.onetimeshare.CapacityException;
import io.onetimeshare.StoreUnavailableException;
import java.io.IOException;
import java.io.OutputStream;

/** How the file vault turns I/O failures into store exceptions (a full disk is a capacity problem). */
final class FileIo {
  private FileIo() {}

  static RuntimeException unavailable(IOException e) {
    if (isDiskFull(e)) {
      return new CapacityException("The vault's disk is full.");
    }
    return new StoreUnavailableException("The vault directory could not be read or written.", e);
  }

  private static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
  }

  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }

  static void storeIo(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** Turns the vault's own write failures into store exceptions, so only the body writer's IOExceptions escape. */
  static final class StoreOutputStream extends OutputStream {
    private final OutputStream out;

    StoreOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      storeIo(() -> out.write(b));
    }

    @Override
    public void write(byte[] b, int off, int len) {
      storeIo(() -> out.write(b, off, len));
    }

    @Override
    public void flush() {
      storeIo(out::flush);
    }
  }
}
