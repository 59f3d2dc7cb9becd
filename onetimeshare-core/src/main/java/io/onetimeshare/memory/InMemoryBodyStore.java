package io.onetimeshare.memory;

import io.onetimeshare.spi.BodyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Bodies in this process's memory (tests, demos; lost on restart). Parts may be of any size.
 *
 * @since 0.3
 */
public final class InMemoryBodyStore implements BodyStore {
  private final ConcurrentSkipListMap<String, byte[]> bodies = new ConcurrentSkipListMap<>();
  private final Map<String, Write> writes = new ConcurrentHashMap<>();
  private final Clock clock;

  private record Write(String key, Instant started, Map<Integer, byte[]> parts) { }

  public InMemoryBodyStore() {
    this(Clock.systemUTC());
  }

  public InMemoryBodyStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void write(String key, InputStream body) throws IOException {
    BodyStore.checkKey(key);
    bodies.put(key, body.readAllBytes());
  }

  @Override
  public Optional<Body> read(String key) {
    byte[] b = bodies.get(BodyStore.checkKey(key));
    return b == null ? Optional.empty() : Optional.of(new Body(new ByteArrayInputStream(b), b.length));
  }

  @Override
  public void delete(String key) {
    bodies.remove(BodyStore.checkKey(key));
  }

  @Override
  public List<String> keysBefore(String bound, int max) {
    List<String> out = new ArrayList<>();
    for (String k : bodies.headMap(bound).keySet()) {
      if (out.size() >= max) {
        break;
      }
      out.add(k);
    }
    return out;
  }

  @Override
  public String beginParts(String key) {
    String id = UUID.randomUUID().toString();
    writes.put(id, new Write(BodyStore.checkKey(key), clock.instant(), new ConcurrentHashMap<>()));
    return id;
  }

  private Write write(String key, String writeId) throws IOException {
    Write w = writes.get(writeId);
    if (w == null || !w.key().equals(key)) {
      throw new IOException("no such write in parts");
    }
    return w;
  }

  @Override
  public String writePart(String key, String writeId, int number, byte[] data) throws IOException {
    if (number < 1 || number > 10_000) {
      throw new IllegalArgumentException("a part number is 1 to 10,000");
    }
    write(key, writeId).parts().put(number, data.clone());
    return Integer.toString(number);
  }

  @Override
  public void completeParts(String key, String writeId, List<String> parts) throws IOException {
    Write w = write(key, writeId);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String p : parts) {
      byte[] b = w.parts().get(Integer.parseInt(p));
      if (b == null) {
        throw new IOException("part " + p + " was not written");
      }
      all.writeBytes(b);
    }
    bodies.put(key, all.toByteArray());
    writes.remove(writeId);
  }

  @Override
  public void abortParts(String key, String writeId) {
    writes.computeIfPresent(writeId, (k, w) -> w.key().equals(key) ? null : w);
  }

  @Override
  public int minPartSize() {
    return 1;
  }

  @Override
  public List<Unfinished> unfinished(int max) {
    return writes.entrySet().stream().sorted(Map.Entry.comparingByValue(
        java.util.Comparator.comparing(Write::started))).limit(max)
        .map(e -> new Unfinished(e.getValue().key(), e.getKey(), e.getValue().started())).toList();
  }
}
