package io.onetimeshare.cli;

import io.onetimeshare.ClientEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Seals a stream and uploads its segments to a begun upload, then finishes it; on any failure the upload is aborted
 * (it would expire on its own). Shared by {@code share} and {@code answer}.
 */
final class Uploading {
  private Uploading() {}

  /** Returns the content bytes read; an empty input is refused and nothing is finished. */
  static long send(Api api, String id, String token, int sealedSegment, long maxRequestBytes,
      ClientEnvelope.Sealing sealing, InputStream in, Progress bar) throws IOException {
    long content = 0;
    UploadSink sink = new UploadSink(api, id, token, sealedSegment, maxRequestBytes);
    try {
      try (OutputStream sealed = sealing.open(sink)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          sealed.write(buf, 0, n);
          content += n;
          bar.add(n);
        }
        Arrays.fill(buf, (byte) 0);
        if (content == 0) {
          throw new CliException(Ots.USAGE, "The input is empty; there is nothing to share.");
        }
      }
      sink.close();
      api.finish(id, token, sealing.header());
    } catch (RuntimeException | IOException e) {
      sink.stop();
      try {
        api.abortQuietly(id, token);
      } catch (RuntimeException ignored) {
        // the upload expires on its own
      }
      throw e;
    }
    bar.finish();
    return content;
  }
}
