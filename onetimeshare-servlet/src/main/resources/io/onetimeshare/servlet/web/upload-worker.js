// Seals a text or file in envelope format v1 and uploads it in segments (docs/http-api.md, "Uploads"), off the
// page's main thread. Reads the file slice by slice, so memory stays at one request's worth whatever the size. A
// failed request is retried after asking the server how far the upload got, so a dropped connection resumes where
// it stopped. Only ciphertext leaves this worker; the key goes back to the page for the link's fragment.
import { b64url, newSealer, plaintextPrefix } from "./envelope.js";

const SEGMENT = 256 * 1024;
let started = null; // { api, id, deleteToken } once the server began the upload

async function call(url, init) {
  const res = await fetch(url, { credentials: "omit", cache: "no-store", ...init });
  const body = res.headers.get("Content-Type")?.startsWith("application/json") ? await res.json() : {};
  return { status: res.status, body };
}

/** Stops the upload with a message key (page.js's catalogs) and the server's error body, when there is one. */
function fail(key, body = null) {
  throw Object.assign(new Error(key), { key, body });
}

async function upload({ api, source, kind, filename, contentType, passphrase, ttl, notify, answer, csrf }) {
  // only the request that begins an upload carries this site's cookies: a sign-in may be what allows creating here.
  // The answer to a secret request ({@code answer}: its id, the asker's public key, checked against the fill link's
  // fingerprint by the page, and the fill link's answer token) begins at the request and needs no sign-in.
  const begun = answer
    ? await call(api + "api/requests/" + answer.id + "/answer", {
      method: "POST", headers: { "Content-Type": "application/json", "OTS-Answer-Token": answer.answerToken },
      body: JSON.stringify({ segmentSize: SEGMENT })
    })
    : await call(api + "api/uploads", {
      method: "POST", headers: { "Content-Type": "application/json", ...(csrf || {}) }, credentials: "same-origin",
      body: JSON.stringify(notify ? { segmentSize: SEGMENT, ttl: Number(ttl), notify }
        : { segmentSize: SEGMENT, ttl: Number(ttl) })
    });
  if (begun.status !== 201) fail("upload.error.begin", begun.body);
  const { id, deleteToken, maxRequestBytes } = begun.body;
  started = { api, id, deleteToken };
  postMessage({ type: "begun", id, deleteToken });
  const auth = { "OTS-Delete-Token": deleteToken };
  if (passphrase) postMessage({ type: "phase", key: "progress.deriving" });
  const sealer = await newSealer(id, SEGMENT, passphrase,
    (done, total) => postMessage({ type: "kdf", done, total }), answer ? answer.publicKey : null);
  const plain = new Blob([plaintextPrefix(kind, filename, contentType), source]);
  const segments = Math.max(1, Math.ceil(plain.size / SEGMENT));
  const perRequest = Math.max(1, Math.floor(maxRequestBytes / (SEGMENT + 16)));
  postMessage({ type: "phase", key: "progress.uploading" });
  // One request's segments, read and sealed: the segments of a request are sealed concurrently (WebCrypto runs
  // off this thread), and the next request's are prepared while this one uploads (issue 25: the page did one thing at
  // a time). At most two requests' worth is held in memory.
  async function prepare(from) {
    const upTo = Math.min(segments, from + perRequest);
    const parts = [];
    for (let i = from; i < upTo; i++) {
      parts.push(plain.slice(i * SEGMENT, Math.min(plain.size, (i + 1) * SEGMENT)).arrayBuffer().then(async buf => {
        const bytes = new Uint8Array(buf);
        const sealed = await sealer.seal(i, bytes, i === segments - 1);
        bytes.fill(0);
        return sealed;
      }));
    }
    return { from, upTo, parts: await Promise.all(parts) };
  }
  let next = 0;
  let failures = 0;
  let pending = prepare(0);
  while (next < segments) {
    let batch = await pending;
    if (batch.from !== next) batch = await prepare(next); // resumed elsewhere after a failure
    pending = batch.upTo < segments ? prepare(batch.upTo) : null;
    const parts = batch.parts;
    let res;
    try {
      res = await call(api + "api/uploads/" + id + "/segments/" + next, {
        method: "PUT", headers: { ...auth, "Content-Type": "application/octet-stream" }, body: new Blob(parts)
      });
    } catch (e) {
      res = { status: 0, body: {} }; // the connection dropped: ask where to resume
    }
    if (res.status === 200) {
      next = res.body.segments;
      failures = 0;
    } else if (res.status === 0 || res.status === 409 || res.status === 408 || res.status >= 500) {
      if (++failures > 8) fail("upload.error.connection");
      postMessage({ type: "retry", attempt: failures });
      await new Promise(r => setTimeout(r, Math.min(8000, 250 * 2 ** failures)));
      try {
        const at = await call(api + "api/uploads/" + id, { headers: auth });
        if (at.status === 200) next = at.body.segments;
        else if (at.status === 404) fail("upload.error.expired");
      } catch (e) {
        // still unreachable: the next round tries again
      }
    } else {
      fail("upload.error.refused", res.body);
    }
    postMessage({ type: "progress", done: next, total: segments, bytes: Math.min(plain.size, next * SEGMENT) });
    if (pending === null && next < segments) pending = prepare(next);
  }
  const fin = await call(api + "api/uploads/" + id + "/finish", {
    method: "POST", headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ header: b64url(sealer.header) })
  });
  if (fin.status !== 201) fail("upload.error.finish", fin.body);
  postMessage({ type: "done", id, key: sealer.key ? b64url(sealer.key) : null, deleteToken,
    expiresAt: begun.body.expiresAt, notifySecret: begun.body.notifySecret || null });
  if (sealer.key) sealer.key.fill(0);
}

onmessage = e => upload(e.data).catch(async err => {
  // an answer to a request that gives up is withdrawn, so the request takes an answer again (issue 23); an ordinary
  // upload is dropped too rather than waiting out its idle hour
  if (started) {
    await fetch(started.api + "api/uploads/" + started.id, { method: "DELETE", credentials: "omit",
      headers: { "OTS-Delete-Token": started.deleteToken } }).catch(() => {});
  }
  postMessage({ type: "error", key: err.key || "error.unexpected", body: err.body || null, detail: err.message });
});
