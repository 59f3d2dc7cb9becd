import { KIND_TEXT, b64url, belowFloor, fromB64url, master, parseHeader, plaintext, proof } from "./envelope.js";
import { fromB64url as legacyKey, open as legacyOpen } from "./crypto.js";
import { announce, apiError, copyButton, number, put, putText, ready, size, t } from "./page.js";

const $ = id => document.getElementById(id);
const id = location.pathname.split("/").pop();
const api = new URL("../", document.baseURI).href;
const fragment = location.hash.slice(1);

function show(section) {
  for (const s of ["waiting", "revealed", "gone"]) $(s).hidden = s !== section;
}

function showError(message) {
  putText($("error"), message);
  $("error").hidden = false;
}

function progress(value, key, params) {
  $("progress-box").hidden = false;
  if (value === null) $("progress").removeAttribute("value"); else $("progress").value = value;
  put($("progress-text"), key, params);
}

function gone(key) {
  put($("status"), key || "reveal.nothing");
  show("gone");
}

let info = null;

async function check() {
  const res = await fetch("../api/secrets/" + encodeURIComponent(id), { cache: "no-store", credentials: "omit" });
  if (res.status === 200) {
    info = await res.json();
    $("passphrase-box").hidden = !info.passphraseRequired;
    put($("status"), "reveal.waiting");
    show("waiting");
  } else if (res.status === 404 || res.status === 400) {
    gone();
  } else {
    put($("status"), "error.unavailable");
  }
}

function revealed() {
  put($("status"), "reveal.here");
  $("progress-box").hidden = true;
  show("revealed");
  $("status").focus();
  announce(t("reveal.here"));
}

function showText(text) {
  history.replaceState(null, "", location.pathname); // drop the key from the address bar
  $("secret").value = text;
  $("text-result").hidden = false;
  revealed();
}

function refused(status, body) {
  $("reveal").disabled = false;
  $("progress-box").hidden = true;
  if (status === 404) return gone();
  if (status === 403 && body.attemptsLeft === 0) return gone("reveal.burned");
  if (status === 403) return showError(t("reveal.wrongPassphrase", { left: number(body.attemptsLeft) }));
  return showError(apiError(body, "reveal.error.open"));
}

/** The key from the link, or the passphrase typed; null (and an error shown) when missing. */
function credentials() {
  if (info.passphraseRequired) {
    const passphrase = $("passphrase").value;
    if (!passphrase) { showError(t("reveal.needPassphrase")); return null; }
    return { key: null, passphrase };
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(fragment)) {
    showError(t("reveal.incomplete"));
    return null;
  }
  return { key: fragment, passphrase: null };
}

async function downloadWorker() {
  if (!("serviceWorker" in navigator)) return null;
  try {
    const reg = await navigator.serviceWorker.register("../assets/download-sw.js",
      { type: "module", scope: "../assets/" });
    const w = reg.active || reg.waiting || reg.installing;
    if (w.state !== "activated") {
      await new Promise(resolve => w.addEventListener("statechange", () => w.state === "activated" && resolve()));
    }
    return w;
  } catch (e) {
    return null;
  }
}

async function reveal() {
  $("error").hidden = true;
  if (fragment.startsWith("z1.")) return revealLegacy();
  const c = credentials();
  if (!c) return;
  $("reveal").disabled = true;
  progress(null, c.passphrase ? "progress.deriving" : "reveal.opening");
  const sw = await downloadWorker();
  if (!sw) return revealInPage(c);
  // the service worker fetches, decrypts and streams the file to disk; this page only shows the progress
  const token = b64url(crypto.getRandomValues(new Uint8Array(24)));
  const channel = new MessageChannel();
  channel.port1.onmessage = e => {
    const m = e.data;
    if (m.type === "kdf") progress(m.done / m.total, "progress.deriving");
    else if (m.type === "refused") refused(m.status, m.body);
    else if (m.type === "text") showText(m.text);
    else if (m.type === "file") {
      history.replaceState(null, "", location.pathname);
      put($("status"), m.filename ? "reveal.decryptingFile" : "reveal.decrypting", m.filename ? { name: m.filename }
        : null);
      progress(null, "reveal.starting");
    } else if (m.type === "progress") progress(null, "reveal.downloaded", { size: size(m.bytes) });
    else if (m.type === "done") {
      put($("file-status"), "reveal.saved", { size: size(m.bytes) });
      $("file-result").hidden = false;
      revealed();
    } else if (m.type === "error") {
      $("progress-box").hidden = true;
      showError(t(m.key, { detail: m.detail }));
    }
  };
  sw.postMessage({ token, id, api, key: c.key, passphrase: c.passphrase, context: info.proofContext },
    [channel.port2]);
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = "download";
  frame.src = "../assets/dl/" + token;
  document.body.appendChild(frame);
}

/** Without a service worker (some private modes): decrypt here, whole, into a download. */
async function revealInPage(c) {
  try {
    const context = await parseHeader(fromB64url(info.proofContext), true);
    if (context.kdf && belowFloor(context.kdf)) {
      throw Object.assign(new Error("weak key derivation"), { key: "reveal.error.weakKdf" });
    }
    const masterKey = master(context, c.key ? fromB64url(c.key) : null, c.passphrase, undefined, id);
    const res = await fetch("../api/secrets/" + encodeURIComponent(id) + "/open", {
      method: "POST", headers: { "Content-Type": "application/json" }, cache: "no-store", credentials: "omit",
      body: JSON.stringify({ proof: b64url(await proof(id, context, masterKey)) })
    });
    if (res.status !== 200) return refused(res.status, await res.json().catch(() => ({})));
    const it = plaintext(id, res.body.getReader(), () => masterKey);
    const prefix = (await it.next()).value;
    const parts = [];
    for await (const p of it) parts.push(p);
    if (prefix.kind === KIND_TEXT) return showText(new TextDecoder().decode(await new Blob(parts).arrayBuffer()));
    offerBlob(new Blob(parts, { type: "application/octet-stream" }), prefix.filename);
  } catch (e) {
    $("reveal").disabled = false;
    showError(t(e.key || "reveal.error.decrypt", { detail: e.message }));
  }
}

function offerBlob(blob, name) {
  history.replaceState(null, "", location.pathname);
  // never the creator's MIME type: a download is bytes, not something the browser should render or run
  $("download").href = URL.createObjectURL(blob);
  $("download").download = name || "secret.bin";
  putText($("download"), name || "secret.bin");
  $("file-result").hidden = false;
  revealed();
}

/** Links made by the page before 0.2 ("#z1.<browser key>[.<server key>]"): readable until they expire. */
async function revealLegacy() {
  const [, browserKey, serverKey] = fragment.split(".");
  const body = info.passphraseRequired ? { passphrase: $("passphrase").value } : { key: serverKey };
  $("reveal").disabled = true;
  try {
    const res = await fetch("../api/secrets/" + encodeURIComponent(id) + "/open", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      cache: "no-store", credentials: "omit"
    });
    if (res.status !== 200) return refused(res.status, await res.json().catch(() => ({})));
    const { meta, content } = await legacyOpen(legacyKey(browserKey), new Uint8Array(await res.arrayBuffer()));
    if (meta.kind === "text") return showText(new TextDecoder().decode(content));
    offerBlob(new Blob([content], { type: "application/octet-stream" }), meta.name);
  } catch (e) {
    $("reveal").disabled = false;
    showError(t("reveal.error.damaged"));
  }
}

// a module runs once the document is parsed; the language and branding come first
{
  await ready;
  $("status").tabIndex = -1;
  $("reveal").addEventListener("click", reveal);
  copyButton("copy-secret", "secret");
  check().catch(() => put($("status"), "error.unreachable"));
}
