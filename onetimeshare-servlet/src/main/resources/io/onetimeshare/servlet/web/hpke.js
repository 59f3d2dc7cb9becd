// HPKE base mode (RFC 9180) for DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256, with AES-128-GCM (aead 1) or AES-256-GCM
// (aead 2), on the browser's WebCrypto only. Envelope mode 3 (docs/format.md) uses AES-256-GCM; the browser tests
// check this file against RFC 9180's Appendix A.1.1 and against the library's published mode-3 vectors.
const te = new TextEncoder();

function cat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function i2osp(n, w) {
  const b = new Uint8Array(w);
  for (let i = w - 1; i >= 0; i--) { b[i] = n & 0xff; n >>>= 8; }
  return b;
}

async function hmac(key, data) {
  const k = await crypto.subtle.importKey("raw", key.length ? key : new Uint8Array(32),
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}

async function expand(prk, info, len) {
  let t = new Uint8Array(0);
  let out = new Uint8Array(0);
  for (let i = 1; out.length < len; i++) {
    t = await hmac(prk, cat(t, info, new Uint8Array([i])));
    out = cat(out, t);
  }
  return out.slice(0, len);
}

const V1 = te.encode("HPKE-v1");
const labeledExtract = (suite, salt, label, ikm) => hmac(salt.length ? salt : new Uint8Array(32),
  cat(V1, suite, te.encode(label), ikm));
const labeledExpand = (suite, prk, label, info, len) => expand(prk,
  cat(i2osp(len, 2), V1, suite, te.encode(label), info), len);

const KEM_SUITE = cat(te.encode("KEM"), i2osp(0x20, 2));
const hpkeSuite = aead => cat(te.encode("HPKE"), i2osp(0x20, 2), i2osp(1, 2), i2osp(aead, 2));
// PKCS#8 wrapping of a raw X25519 private key (RFC 8410): WebCrypto imports private keys only so
const PKCS8_X25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04,
  0x22, 0x04, 0x20]);

async function privateKey(raw) {
  if (raw.length !== 32) throw new Error("An X25519 private key is 32 bytes.");
  return crypto.subtle.importKey("pkcs8", cat(PKCS8_X25519, raw), { name: "X25519" }, true, ["deriveBits"]);
}

async function dh(skRaw, pkRaw) {
  if (pkRaw.length !== 32) throw new Error("An X25519 public key is 32 bytes.");
  const pub = await crypto.subtle.importKey("raw", pkRaw, { name: "X25519" }, false, []);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "X25519", public: pub }, await privateKey(skRaw), 256));
}

const b64urlToBytes = s => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), c => c.charCodeAt(0));

/** The public key of a raw private key. */
export async function publicOf(skRaw) {
  const jwk = await crypto.subtle.exportKey("jwk", await privateKey(skRaw));
  return b64urlToBytes(jwk.x);
}

/** A fresh key pair: { privateKey, publicKey }, 32 bytes each. */
export async function newKeyPair() {
  const kp = await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", kp.privateKey));
  return { privateKey: pkcs8.slice(pkcs8.length - 32),
    publicKey: new Uint8Array(await crypto.subtle.exportKey("raw", kp.publicKey)) };
}

/** The first 16 bytes of SHA-256("onetimeshare/v1/public-key" || pk): what a fill link names. */
export async function fingerprint(pk) {
  const d = await crypto.subtle.digest("SHA-256", cat(te.encode("onetimeshare/v1/public-key"), pk));
  return new Uint8Array(d).slice(0, 16);
}

async function schedule(shared, info, aead) {
  const suite = hpkeSuite(aead);
  const context = cat(new Uint8Array([0]), await labeledExtract(suite, new Uint8Array(0), "psk_id_hash",
    new Uint8Array(0)), await labeledExtract(suite, new Uint8Array(0), "info_hash", info));
  const secret = await labeledExtract(suite, shared, "secret", new Uint8Array(0));
  return { shared, key: await labeledExpand(suite, secret, "key", context, aead === 1 ? 16 : 32),
    nonce: await labeledExpand(suite, secret, "base_nonce", context, 12) };
}

async function kem(dhValue, enc, pkR) {
  const prk = await labeledExtract(KEM_SUITE, new Uint8Array(0), "eae_prk", dhValue);
  return labeledExpand(KEM_SUITE, prk, "shared_secret", cat(enc, pkR), 32);
}

async function aes(s, usage) {
  return crypto.subtle.importKey("raw", s.key, "AES-GCM", false, [usage]);
}

/** Seals one message (sequence 0) to pkR; skE for test vectors, else a fresh ephemeral key. Returns { enc, ct }. */
export async function seal(pkR, info, aad, pt, aead = 2, skE = null) {
  const eph = skE || (await newKeyPair()).privateKey;
  const enc = await publicOf(eph);
  const s = await schedule(await kem(await dh(eph, pkR), enc, pkR), info, aead);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: s.nonce, additionalData: aad },
    await aes(s, "encrypt"), pt));
  return { enc, ct, schedule: s };
}

/** Opens one message (sequence 0) with the recipient's raw private key. */
export async function open(skR, enc, info, aad, ct, aead = 2) {
  const s = await schedule(await kem(await dh(skR, enc), enc, await publicOf(skR)), info, aead);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: s.nonce, additionalData: aad },
    await aes(s, "decrypt"), ct));
}
