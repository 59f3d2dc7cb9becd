// Browser-side sealing (zero-knowledge mode). The server only ever sees the output of seal().
// Layout: "OTB1" (4) || iv (12) || AES-256-GCM(key, iv, aad = "OTB1", u32 metaLength || meta JSON || content)
const MAGIC = new TextEncoder().encode("OTB1");

export function b64url(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("bad key");
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, c => c.charCodeAt(0));
}

export async function newKey() {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return raw;
}

async function importKey(raw, usage) {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, [usage]);
}

export async function seal(raw, meta, content) {
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const plain = new Uint8Array(4 + metaBytes.length + content.length);
  new DataView(plain.buffer).setUint32(0, metaBytes.length);
  plain.set(metaBytes, 4);
  plain.set(content, 4 + metaBytes.length);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await importKey(raw, "encrypt");
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: MAGIC }, key, plain));
  plain.fill(0);
  const out = new Uint8Array(4 + 12 + ct.length);
  out.set(MAGIC, 0);
  out.set(iv, 4);
  out.set(ct, 16);
  return out;
}

export async function open(raw, sealed) {
  for (let i = 0; i < 4; i++) if (sealed[i] !== MAGIC[i]) throw new Error("not a browser-sealed secret");
  const key = await importKey(raw, "decrypt");
  const plain = new Uint8Array(await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.slice(4, 16), additionalData: MAGIC }, key, sealed.slice(16)));
  const n = new DataView(plain.buffer).getUint32(0);
  const meta = JSON.parse(new TextDecoder().decode(plain.slice(4, 4 + n)));
  return { meta, content: plain.slice(4 + n) };
}
