// Writes onetimeshare-core/src/test/resources/vectors/envelope-v1-browser.json: envelopes sealed by the web page's
// own envelope.js (random key, nonce prefix and salt, as the page makes them), for FormatVectorsTest to check that
// the library, the reference decoder, and the library's sealer given the same randomness agree byte for byte.
// Run with Node 20 (its WebCrypto is the browser's API): node onetimeshare-servlet/src/test/js/make-browser-vectors.mjs
import * as E from "../../main/resources/io/onetimeshare/servlet/web/envelope.js";
import fs from "fs";

const hex = b => Buffer.from(b).toString("hex");
const utf8 = new TextEncoder();

async function vector(name, id, content, { kind, filename, contentType, passphrase, segmentSize }) {
  const s = await E.newSealer(id, segmentSize, passphrase || null);
  const plain = new Uint8Array([...E.plaintextPrefix(kind, filename, contentType), ...content]);
  const parts = [s.header];
  const n = Math.max(1, Math.ceil(plain.length / segmentSize));
  for (let i = 0; i < n; i++) {
    parts.push(await s.seal(i, plain.subarray(i * segmentSize, Math.min(plain.length, (i + 1) * segmentSize)), i === n - 1));
  }
  const h = await E.parseHeader(s.header);
  const v = { name, mode: passphrase ? "passphrase" : "random", id };
  if (passphrase) {
    Object.assign(v, { passphrase, argon2id: { m_kib: h.kdf.m, t: h.kdf.t, p: h.kdf.p }, salt_hex: hex(h.salt) });
  } else {
    v.key_hex = hex(s.key);
  }
  Object.assign(v, { nonce_prefix_hex: hex(h.noncePrefix), segment_size: segmentSize,
    kind: kind === E.KIND_TEXT ? "text" : "file", filename: filename || null, content_type: contentType || null,
    content_hex: hex(content), plaintext_hex: hex(plain), envelope_hex: hex(Buffer.concat(parts.map(p => Buffer.from(p)))) });
  return v;
}

const content = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
const out = {
  format: "OneTimeShare envelope v1, see docs/format.md; sealed by the web page's envelope.js",
  vectors: [
    await vector("page: random-key text", "cGFnZS10ZXh0LXZlY3Rvcg", utf8.encode("from the page ✓"),
      { kind: E.KIND_TEXT, segmentSize: 262144 }),
    await vector("page: passphrase file over several 64-byte segments", "cGFnZS1maWxlLXZlY3Rvcg", content,
      { kind: E.KIND_FILE, filename: "page ü.bin", contentType: "application/octet-stream",
        passphrase: "typed in a browser ✓", segmentSize: 64 })
  ]
};
fs.writeFileSync(new URL("../../../../onetimeshare-core/src/test/resources/vectors/envelope-v1-browser.json",
  import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log("wrote", out.vectors.length, "vectors");
