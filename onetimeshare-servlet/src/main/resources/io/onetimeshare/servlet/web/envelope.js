// Envelope format v1 (docs/format.md) with WebCrypto: the same bytes the library and the command-line client
// write and read. Used by the page's workers and its service worker; no key ever leaves them except in a link.
import { safeFilename, utf8Cut } from "./names.js";
import { argon2id } from "./argon2.js";
import * as HPKE from "./hpke.js";

const utf8 = new TextEncoder();
const MAGIC = [0x4f, 0x54, 0x53, 0x45];
const ENC_LABEL = utf8.encode("onetimeshare/v1/encryption");
const COMMIT_LABEL = utf8.encode("onetimeshare/v1/commitment");
/** Argon2id for new passphrase secrets from the page: RFC 9106's second recommendation, OWASP's minimum. */
export const PAGE_KDF = { m: 19456, t: 2, p: 1 };
/**
 * The least the page stretches a passphrase with when someone else chose the parameters (a server's proof context):
 * Argon2idParameters.clientFloor(), OWASP's cheapest configuration by memory x passes. A hostile server that names
 * less would get a proof it could attack offline cheaply.
 */
export const KDF_FLOOR = { m: 7168, t: 5 };
export function belowFloor(kdf) {
  return kdf.m < KDF_FLOOR.m || kdf.m * kdf.t < KDF_FLOOR.m * KDF_FLOOR.t;
}
/** The most a page will derive with (the library's default ceiling). */
const KDF_CEILING = { m: 262144, t: 10, p: 8 };
export const KIND_TEXT = 1;
export const KIND_FILE = 2;

export function b64url(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("not base64url");
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, c => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function u32(n) {
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

async function hmac(key, ...parts) {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, concat(...parts)));
}

function idBytes(id) {
  const b = utf8.encode(id);
  return concat(new Uint8Array([b.length]), b);
}

/** The header bytes before the commitment: what a proof is computed over (a secret's "proofContext"). */
function beforeCommitment(h) {
  const fixed = concat(new Uint8Array(MAGIC), new Uint8Array([1, h.mode]), u32(h.segmentSize));
  if (h.mode === 1) return concat(fixed, h.noncePrefix);
  if (h.mode === 3) return concat(fixed, h.wrap, h.noncePrefix);
  return concat(fixed, new Uint8Array([1]), u32(h.kdf.m), u32(h.kdf.t), new Uint8Array([h.kdf.p, 16]), h.salt,
    h.noncePrefix);
}

/** Parses a header, or the proof context (the header without commitment and checksum), as strictly as the spec. */
export async function parseHeader(b, context = false) {
  const fail = m => { throw new Error("Not a valid envelope: " + m); };
  if (b.length < 10 || MAGIC.some((x, i) => b[i] !== x)) fail("bad magic bytes");
  if (b[4] !== 1) fail("unsupported version " + b[4]);
  const mode = b[5];
  if (mode !== 1 && mode !== 2 && mode !== 3) fail("unknown mode");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const segmentSize = v.getUint32(6);
  if (segmentSize < 16 || segmentSize > 8388608) fail("segment size out of range");
  let at = 10;
  let kdf = null;
  let salt = null;
  if (mode === 2) {
    if (b.length < 37 || b[10] !== 1) fail("unknown key derivation");
    kdf = { m: v.getUint32(11), t: v.getUint32(15), p: b[19] };
    if (b[20] !== 16) fail("bad salt length");
    if (kdf.t < 1 || kdf.p < 1 || kdf.m < 8 * kdf.p) fail("Argon2id parameters below RFC 9106's minimums");
    if (kdf.m > KDF_CEILING.m || kdf.t > KDF_CEILING.t || kdf.p > KDF_CEILING.p) fail("Argon2id cost too high");
    salt = b.slice(21, 37);
    at = 37;
  }
  let wrap = null;
  if (mode === 3) { // docs/format.md, "Mode 3": X25519, HKDF-SHA256, AES-256-GCM only
    if (b.length < 96 || v.getUint16(10) !== 0x20 || v.getUint16(12) !== 1 || v.getUint16(14) !== 2) {
      fail("unknown HPKE suite");
    }
    wrap = b.slice(10, 96);
    at = 96;
  }
  const length = at + 7 + (context ? 0 : 40);
  if (b.length !== length) fail("wrong header length");
  const h = { mode, segmentSize, kdf, salt, wrap, noncePrefix: b.slice(at, at + 7), length };
  if (!context) {
    h.commitment = b.slice(at + 7, at + 39);
    const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", b.slice(0, at + 39)));
    if (sum.slice(0, 8).some((x, i) => x !== b[at + 39 + i])) fail("header checksum mismatch");
    h.bytes = b.slice();
  }
  return h;
}

/**
 * The master key: the 32-byte key, Argon2id over the passphrase with the header's parameters, or (mode 3) the key
 * wrapped to a public key, unwrapped with the private key given as {@code key} for the secret {@code id}.
 */
export async function master(h, key, passphrase, progress, id) {
  if (h.mode === 3) {
    if (!key || key.length !== 32 || !id) throw new Error("This secret opens with the private key from its link.");
    const info = concat(utf8.encode("onetimeshare/v1/key-to-public-key"), idBytes(id));
    try {
      return await HPKE.open(key, h.wrap.slice(6, 38), info, beforeCommitment(h).slice(0, 16), h.wrap.slice(38, 86));
    } catch (e) {
      throw new Error("The private key does not open this secret: it was sealed to another key.");
    }
  }
  if (h.mode === 1) {
    if (!key || key.length !== 32) throw new Error("This secret needs the key from its link.");
    return key;
  }
  if (!passphrase) throw new Error("This secret needs its passphrase.");
  return argon2id(utf8.encode(passphrase), h.salt, h.kdf.m, h.kdf.t, h.kdf.p, progress);
}

/** The proof that opens a secret (its key commitment), from its proof context and the master key. */
export async function proof(id, h, masterKey) {
  return hmac(await masterKey, COMMIT_LABEL, new Uint8Array([0]), idBytes(id), beforeCommitment(h));
}

async function aesKey(masterKey, usage) {
  const raw = await hmac(masterKey, ENC_LABEL);
  const k = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, [usage]);
  raw.fill(0);
  return k;
}

function nonce(prefix, i, last) {
  return concat(prefix, u32(i), new Uint8Array([last ? 1 : 0]));
}

/** The plaintext prefix: kind, filename, content type (docs/format.md, "Plaintext"). */
export function plaintextPrefix(kind, filename, contentType) {
  // cut on a code point boundary: a name cut mid-character is not UTF-8, and every reader refuses it (after the
  // secret was consumed); the sanitiser runs first, so a sealed name is already a safe bare name
  const safe = safeFilename(filename);
  const name = safe ? utf8Cut(safe, 255) : new Uint8Array(0);
  const type = contentType ? utf8Cut(contentType, 255) : new Uint8Array(0);
  return concat(new Uint8Array([kind, name.length >> 8, name.length & 0xff]), name,
    new Uint8Array([type.length >> 8, type.length & 0xff]), type);
}

/**
 * Starts a new envelope for {@code id}: fresh key (or Argon2id over a passphrase, or a fresh key wrapped to an
 * asker's X25519 {@code publicKey}: mode 3, the answer to a secret request), header and a segment sealer.
 */
export async function newSealer(id, segmentSize, passphrase, progress, publicKey = null) {
  const noncePrefix = crypto.getRandomValues(new Uint8Array(7));
  let h;
  let masterKey;
  if (publicKey) {
    masterKey = crypto.getRandomValues(new Uint8Array(32));
    const suite = new Uint8Array([0, 0x20, 0, 1, 0, 2]); // X25519/HKDF-SHA256, HKDF-SHA256, AES-256-GCM
    const aad = concat(new Uint8Array(MAGIC), new Uint8Array([1, 3]), u32(segmentSize), suite);
    const info = concat(utf8.encode("onetimeshare/v1/key-to-public-key"), idBytes(id));
    const { enc, ct } = await HPKE.seal(publicKey, info, aad, masterKey);
    h = { mode: 3, segmentSize, wrap: concat(suite, enc, ct), noncePrefix };
  } else if (passphrase) {
    h = { mode: 2, segmentSize, kdf: PAGE_KDF, salt: crypto.getRandomValues(new Uint8Array(16)), noncePrefix };
    masterKey = argon2id(utf8.encode(passphrase), h.salt, h.kdf.m, h.kdf.t, h.kdf.p, progress);
  } else {
    h = { mode: 1, segmentSize, noncePrefix };
    masterKey = crypto.getRandomValues(new Uint8Array(32));
  }
  const bc = beforeCommitment(h);
  const withCommitment = concat(bc, await proof(id, h, masterKey));
  const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", withCommitment));
  const header = concat(withCommitment, sum.slice(0, 8));
  const key = await aesKey(masterKey, "encrypt");
  if (publicKey) masterKey.fill(0); // only the asker's private key opens it again
  const aad = concat(idBytes(id), header);
  return {
    header,
    key: passphrase || publicKey ? null : masterKey,
    async seal(i, plaintext, last) {
      return new Uint8Array(await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce(noncePrefix, i, last), additionalData: aad }, key, plaintext));
    }
  };
}

/** Opens segments of an envelope whose header {@code h} was parsed; checks the key commitment first. */
export async function newOpener(id, h, masterKey) {
  const expected = await proof(id, h, masterKey);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= expected[i] ^ h.commitment[i];
  if (diff !== 0) throw new Error("The key or passphrase does not open this secret.");
  const key = await aesKey(masterKey, "decrypt");
  const aad = concat(idBytes(id), h.bytes);
  return {
    async open(i, sealed, last) {
      if (sealed.length <= 16) throw new Error("Not a valid envelope: an empty segment");
      return new Uint8Array(await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: nonce(h.noncePrefix, i, last), additionalData: aad }, key, sealed));
    }
  };
}

/**
 * Reads the plaintext prefix from the start of the first segment's plaintext: {kind, filename, contentType, offset}.
 * Strict: unknown kind or invalid UTF-8 is refused.
 */
export function readPrefix(p) {
  const strict = new TextDecoder("utf-8", { fatal: true });
  if (p.length < 5 || (p[0] !== 1 && p[0] !== 2)) throw new Error("Not a valid envelope: bad plaintext prefix");
  const nl = (p[1] << 8) | p[2];
  if (p.length < 5 + nl) throw new Error("Not a valid envelope: truncated prefix");
  const tl = (p[3 + nl] << 8) | p[4 + nl];
  const offset = 5 + nl + tl;
  if (p.length < offset) throw new Error("Not a valid envelope: truncated prefix");
  return {
    kind: p[0],
    filename: nl ? strict.decode(p.subarray(3, 3 + nl)) : null,
    contentType: tl ? strict.decode(p.subarray(5 + nl, offset)) : null,
    offset
  };
}

/**
 * Decrypts a whole envelope arriving as a stream of chunks (a fetch body reader), segment by segment: yields the
 * plaintext prefix ({kind, filename, contentType}) first, then each segment's verified plaintext. A segment is
 * released only after its tag verifies; memory is one segment at a time. {@code masterFor(header)} gives the key.
 */
export async function* plaintext(id, reader, masterFor, onBytes = () => {}) {
  // the body's chunks as they arrive; each byte is copied at most once, into the segment it belongs to
  const chunks = [];
  let avail = 0;
  let done = false;
  const need = async n => {
    while (avail < n && !done) {
      const r = await reader.read();
      if (r.done) { done = true; break; }
      onBytes(r.value.length);
      chunks.push(r.value);
      avail += r.value.length;
    }
  };
  const byteAt = at => {
    for (const c of chunks) {
      if (at < c.length) return c[at];
      at -= c.length;
    }
    return undefined;
  };
  const take = n => { // removes the first n (<= avail) bytes and returns them
    if (chunks.length && chunks[0].length === n) { avail -= n; return chunks.shift(); }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = chunks[0];
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
      if (k === c.length) chunks.shift(); else chunks[0] = c.subarray(k);
    }
    avail -= n;
    return out;
  };
  await need(10);
  const headerLength = byteAt(5) === 2 ? 84 : byteAt(5) === 3 ? 143 : 57;
  await need(headerLength);
  if (avail < headerLength) throw new Error("Not a valid envelope: truncated header");
  const h = await parseHeader(take(headerLength));
  const opener = await newOpener(id, h, await masterFor(h));
  const full = h.segmentSize + 16;
  let head = new Uint8Array(0); // plaintext until the prefix is complete (it may span small segments)
  let content = 0;
  // up to three segments are decrypted at once (WebCrypto works off this thread) and released in order; a segment's
  // plaintext is released only after its tag verifies (issue 25: one at a time left the network and the CPU idle)
  const inflight = [];
  let next = 0;
  let ended = false;
  for (;;) {
    while (!ended && inflight.length < 3) {
      await need(full + 1); // one byte more tells whether this segment is the last
      const last = avail <= full;
      const opening = opener.open(next++, take(Math.min(full, avail)), last);
      opening.catch(() => {}); // a failure is seen when its turn comes, not as an unhandled rejection
      inflight.push({ opening, last });
      if (last) ended = true;
    }
    const { opening, last } = inflight.shift();
    let plain = await opening;
    if (head !== null) {
      head = concat(head, plain);
      if (!prefixComplete(head) && !last) continue;
      const prefix = readPrefix(head);
      plain = head.subarray(prefix.offset);
      head = null;
      yield prefix;
    }
    content += plain.length;
    if (last && content === 0) throw new Error("Not a valid envelope: empty content");
    if (plain.length) yield plain;
    if (last) return;
  }
}

function prefixComplete(p) {
  if (p.length < 3) return false;
  const nl = (p[1] << 8) | p[2];
  if (p.length < 5 + nl) return false;
  return p.length >= 5 + nl + ((p[3 + nl] << 8) | p[4 + nl]);
}
