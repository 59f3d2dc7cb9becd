// Reading links made by the page before 0.2, which sealed in its own layout before the server sealed it again:
// "OTB1" (4) || iv (12) || AES-256-GCM(key, iv, aad = "OTB1", u32 metaLength || meta JSON || content).
// New secrets use envelope format v1 (envelope.js); this stays only until the last such link has expired.
const MAGIC = new TextEncoder().encode("OTB1");

export function fromB64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("bad key");
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, c => c.charCodeAt(0));
}

async function importKey(raw, usage) {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, [usage]);
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
