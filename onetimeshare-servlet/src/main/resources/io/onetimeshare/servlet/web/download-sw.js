// Streams a revealed file to disk: the reveal page hands this service worker the secret's id and key (or
// passphrase), then loads "dl/<token>" in a hidden frame; this worker fetches the envelope once, decrypts it segment
// by segment and answers the frame with a download whose body is the plaintext as it is decrypted. Nothing is held
// whole in memory, and the main thread only draws the progress. A text secret is posted back to the page instead.
import { KIND_TEXT, b64url, belowFloor, fromB64url, master, parseHeader, plaintext, proof } from "./envelope.js";
import { safeFilename } from "./names.js";

const jobs = new Map();
const waiting = new Map(); // token -> resolve, for a frame's request that arrived before its job's message

/** The job for a token: at once if its message came first, else when it comes (the two race), or null after 5 s. */
function takeJob(token) {
  const job = jobs.get(token);
  if (job) {
    jobs.delete(token);
    return Promise.resolve(job);
  }
  return new Promise(resolve => {
    waiting.set(token, resolve);
    setTimeout(() => {
      if (waiting.get(token) === resolve) {
        waiting.delete(token);
        resolve(null);
      }
    }, 5000);
  });
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", e => e.waitUntil(self.clients.claim()));

self.addEventListener("message", e => {
  const job = e.data;
  if (typeof job?.token === "string" && e.ports[0]) {
    job.port = e.ports[0];
    const resolve = waiting.get(job.token);
    if (resolve) {
      waiting.delete(job.token);
      resolve(job);
      return;
    }
    jobs.set(job.token, job);
    setTimeout(() => jobs.delete(job.token), 60000); // a job nobody asked for is forgotten
  }
});

self.addEventListener("fetch", e => {
  const m = new URL(e.request.url).pathname.match(/\/dl\/([A-Za-z0-9_-]{22,64})$/);
  if (!m) return;
  let finish;
  e.waitUntil(new Promise(resolve => { finish = resolve; })); // keeps this worker alive while the download streams
  e.respondWith(takeJob(m[1]).then(job => {
    if (!job) {
      finish();
      return new Response("This download link was already used.", { status: 404 });
    }
    job.finished = finish;
    return serve(job).catch(err => {
      job.port.postMessage({ type: "error", key: err.key || "reveal.error.decrypt", detail: err.message });
      job.finished();
      return new Response(null, { status: 204 });
    });
  }));
});

async function serve(job) {
  const post = m => job.port.postMessage(m);
  const context = await parseHeader(fromB64url(job.context), true);
  if (context.kdf && belowFloor(context.kdf)) {
    throw Object.assign(new Error("weak key derivation"), { key: "reveal.error.weakKdf" });
  }
  const masterKey = master(context, job.key ? fromB64url(job.key) : null, job.passphrase,
    (done, total) => post({ type: "kdf", done, total }), job.id);
  const res = await fetch(job.api + "api/secrets/" + job.id + "/open", {
    method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit", cache: "no-store",
    body: JSON.stringify({ proof: b64url(await proof(job.id, context, masterKey)) })
  });
  if (res.status !== 200) {
    post({ type: "refused", status: res.status, body: await res.json().catch(() => ({})) });
    job.finished();
    return new Response(null, { status: 204 });
  }
  const reader = res.body.getReader();
  let received = 0;
  let reported = 0;
  const onBytes = n => {
    received += n;
    if (received - reported >= 1 << 20) {
      reported = received;
      post({ type: "progress", bytes: received });
    }
  };
  const it = plaintext(job.id, reader, () => masterKey, onBytes);
  const prefix = (await it.next()).value;
  if (prefix.kind === KIND_TEXT) {
    const parts = [];
    for await (const p of it) parts.push(p);
    post({ type: "text", text: new TextDecoder().decode(await new Blob(parts).arrayBuffer()) });
    job.finished();
    return new Response(null, { status: 204 });
  }
  post({ type: "file", filename: prefix.filename });
  const name = safeFilename(prefix.filename) || "secret.bin"; // the sender's client may be anything
  const body = new ReadableStream({
    async pull(controller) {
      try {
        const n = await it.next();
        if (n.done) {
          controller.close();
          post({ type: "done", bytes: received });
          job.finished();
        } else {
          controller.enqueue(n.value);
        }
      } catch (err) {
        controller.error(err);
        post({ type: "error", key: "reveal.error.cut", detail: err.message });
        job.finished();
      }
    },
    cancel() {
      reader.cancel();
      job.finished();
    }
  }, { highWaterMark: 2 });
  // never the creator's MIME type: a download is bytes, not something the browser should render or run
  return new Response(body, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": "attachment; filename*=UTF-8''" + encodeURIComponent(name),
      "X-Content-Type-Options": "nosniff"
    }
  });
}
