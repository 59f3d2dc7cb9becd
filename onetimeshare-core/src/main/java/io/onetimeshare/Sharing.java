package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.internal.PlaintextPrefix;
import io.onetimeshare.internal.Sealer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The facade's part that seals and stores new secrets (server-side sealing). Package-private. */
final class Sharing {
  private final OneTimeShare.Settings settings;
  private final SecretVault vault;
  private final Sealer sealer;
  private final Clock clock;
  private final SecureRandom random;
  private final ShareEvents events;
  private final Notifying notifying;

  Sharing(OneTimeShare.Settings settings, SecretVault vault, Sealer sealer, Clock clock, SecureRandom random, ShareEvents events,
      Notifying notifying) {
    this.notifying = notifying;
    this.settings = settings;
    this.vault = vault;
    this.sealer = sealer;
    this.clock = clock;
    this.random = random;
    this.events = events;
  }

  /** Shares a stream with an explicit kind (adapters use this for text arriving as a stream). */
  ShareReceipt share(InputStream content, ShareOptions options, SecretKind kind,
      io.onetimeshare.spi.Charge.Batch charges) throws IOException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(kind, "kind");
    Duration ttl = options.ttl() != null ? options.ttl() : settings.defaultTtl();
    settings.checkTtl(ttl);
    checkLabel(options.filename(), "filename");
    checkLabel(options.contentType(), "content type");
    Notifying.Chosen notify = notifying.choose(options.notifyUrl());
    byte[] pass = options.passphrase() == null ? null : Credential.passphraseBytes(options.passphrase());
    String id = Ids.newId(random);
    byte[] token = Bytes.random(random, 32);
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Sealer.Prepared p;
    long[] contentBytes = new long[1];
    try {
      p = sealer.prepare(id, pass);
    } finally {
      Bytes.wipe(pass);
    }
    String key = pass == null ? Bytes.base64Url(p.masterKey()) : null;
    try {
      SecretRecord rec = new SecretRecord(id, expiresAt, p.headerBytes(), Bytes.sha256(token), settings.maxAttempts(),
          notify.subscription());
      byte[] prefix = new PlaintextPrefix(kind, options.filename(), options.contentType()).encode();
      vault.put(rec, out -> {
        OutputStream sealing = sealer.sealing(id, p, new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() {
            // the vault owns its stream
          }
        });
        sealing.write(prefix);
        long total = copyBounded(content, sealing, settings.maxContentBytes());
        if (total == 0) {
          throw new InvalidArgumentException("The content is empty; there is nothing to share.");
        }
        sealing.close();
        contentBytes[0] = total;
      }, charges);
    } finally {
      p.wipe();
    }
    OneTimeShare.report(() -> events.created(kind, contentBytes[0]));
    String creator = options.creator();
    if (creator != null) {
      OneTimeShare.report(() -> events.createdBy(new io.onetimeshare.spi.Creation(creator, OneTimeShare.idDigest(id),
          kind, contentBytes[0], ttl, clock.instant())));
    }
    return new ShareReceipt(id, expiresAt, Bytes.base64Url(token), key, notify.signingSecret());
  }

  private static long copyBounded(InputStream in, OutputStream out, long max) throws IOException {
    // sized to what is already there when that is little (a 4 KiB text from a spool): a 16 KiB buffer allocated,
    // zeroed and wiped per share was a measurable part of a small secret's cost
    byte[] buf = new byte[(int) Math.min(16 * 1024, Math.max(4096, in.available() + 1L))];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        if (total > max) {
          throw new TooLargeException(max);
        }
        out.write(buf, 0, n);
      }
    } finally {
      Bytes.wipe(buf);
    }
    return total;
  }

  private static void checkLabel(@Nullable String s, String what) {
    if (s == null) {
      return;
    }
    if (s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new InvalidArgumentException("The " + what + " must be 1 to 255 bytes of UTF-8.");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !validSurrogate(s, i))) {
        throw new InvalidArgumentException("The " + what + " contains control or invalid characters.");
      }
    }
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
