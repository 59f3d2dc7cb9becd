package io.onetimeshare.servlet.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Holds a multipart content part that arrived before the options it needs (passphrase, ttl): in memory up to 1 MiB + 64 KiB
 * (wiped when done), beyond that in a temp file encrypted with a random key that only this object knows
 * (AES-256-CTR), so not even a temp file holds plaintext. The file is deleted when the stream is closed.
 */
public final class EncryptedSpool implements AutoCloseable {
  static final int MEMORY_LIMIT = 1024 * 1024 + 64 * 1024;
  private static final int FIRST_BLOCK = 8 * 1024;
  private static final int BLOCK = 64 * 1024;
  private static final SecureRandom RANDOM = drbg();
  private final java.nio.file.@org.jspecify.annotations.Nullable Path file;
  private final java.util.@org.jspecify.annotations.Nullable List<byte[]> memory;
  private final byte[] key = new byte[32];
  private final byte[] iv = new byte[16];
  /** Bytes used in the last in-memory block (the others are full): it is not trimmed to size by a copy. */
  private final int lastLength;

  private EncryptedSpool(java.nio.file.@org.jspecify.annotations.Nullable Path file,
      java.util.@org.jspecify.annotations.Nullable List<byte[]> memory, int lastLength) {
    this.file = file;
    this.memory = memory;
    this.lastLength = lastLength;
    if (file != null) { // the key protects the disk copy only; in-memory spools need none
      RANDOM.nextBytes(key);
      RANDOM.nextBytes(iv);
    }
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** Copies {@code in} (at most {@code max + 1} bytes, so the caller can tell it was too large) into a new spool. */
  public static EncryptedSpool of(InputStream in, long max) throws IOException {
    // in memory: blocks filled straight from the stream, no regrowth copies and no final concatenation
    java.util.List<byte[]> blocks = new java.util.ArrayList<>();
    long limit = Math.min(MEMORY_LIMIT, max + 1);
    long total = 0;
    int lastLength = 0;
    boolean eof = false;
    while (total < limit && !eof) {
      // a small first block: most parts are small texts and options
      byte[] block = new byte[(int) Math.min(blocks.isEmpty() ? FIRST_BLOCK : BLOCK, limit - total)];
      int n = in.readNBytes(block, 0, block.length);
      eof = n < block.length;
      blocks.add(block);
      lastLength = n;
      total += n;
    }
    if (total < MEMORY_LIMIT || total > max) {
      return new EncryptedSpool(null, blocks, lastLength);
    }
    Path f = Files.createTempFile("ots-spool-", ".bin");
    EncryptedSpool s = new EncryptedSpool(f, null, 0);
    boolean ok = false;
    try (OutputStream out = new CipherOutputStream(new BufferedOutputStream(
        Files.newOutputStream(f, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)), s.cipher(true))) {
      for (byte[] b : blocks) {
        out.write(b); // all full: a spool goes to disk only once its blocks reached MEMORY_LIMIT
        java.util.Arrays.fill(b, (byte) 0);
      }
      byte[] buf = new byte[16 * 1024];
      int n;
      while (total <= max && (n = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - total))) >= 0) {
        out.write(buf, 0, n);
        total += n;
      }
      ok = true;
    } finally {
      if (!ok) {
        s.close();
      }
    }
    return s;
  }

  private Cipher cipher(boolean encrypt) {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new IvParameterSpec(iv));
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR is missing from this JDK", e);
    }
  }

  /** The spooled bytes; closing the stream deletes the spool. */
  public InputStream open() throws IOException {
    InputStream raw;
    if (memory != null) {
      java.util.List<InputStream> blocks = new java.util.ArrayList<>(memory.size());
      for (int i = 0; i < memory.size(); i++) {
        byte[] b = memory.get(i);
        blocks.add(new java.io.ByteArrayInputStream(b, 0, i == memory.size() - 1 ? lastLength : b.length));
      }
      raw = new java.io.SequenceInputStream(java.util.Collections.enumeration(blocks));
    } else {
      raw = new CipherInputStream(new BufferedInputStream(Files.newInputStream(
          java.util.Objects.requireNonNull(file))), cipher(false));
    }
    return new FilterInputStream(raw) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          EncryptedSpool.this.close();
        }
      }
    };
  }

  @Override
  public void close() {
    java.util.Arrays.fill(key, (byte) 0);
    if (memory != null) {
      for (byte[] b : memory) {
        java.util.Arrays.fill(b, (byte) 0);
      }
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the content is unreadable without the key anyway
    }
  }
}
