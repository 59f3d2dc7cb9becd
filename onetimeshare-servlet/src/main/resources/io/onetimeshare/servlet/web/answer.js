// Answering a secret request (issue 23). The fill link's fragment holds the fingerprint of the asker's public key and
// an optional label; the server gives the key itself, which is checked against the fingerprint before anything is
// sealed: a server that swapped the key (to read the answer) is caught here, and nothing is sent.
import { b64url, fromB64url, KIND_FILE, KIND_TEXT } from "./envelope.js";
import * as HPKE from "./hpke.js";
import { runUpload } from "./uploader.js";

const $ = id => document.getElementById(id);
const id = location.pathname.split("/").pop();
let publicKey = null;

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function stop(message) {
  $("status").textContent = message;
  $("answer-form").hidden = true;
}

function parseFragment() {
  const [fp, label] = location.hash.slice(1).split(".");
  let fingerprint;
  try {
    fingerprint = fromB64url(fp || "");
  } catch (e) {
    fingerprint = null;
  }
  if (!fingerprint || fingerprint.length !== 16) return null;
  let text = null;
  if (label) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(fromB64url(label));
    } catch (e) {
      text = null;
    }
  }
  return { fingerprint, label: text };
}

async function load() {
  const fragment = parseFragment();
  if (!fragment) {
    return stop("This link is incomplete: the part after # is missing or damaged. Ask for the whole link again.");
  }
  if (fragment.label) {
    $("asked-for").textContent = fragment.label;
    $("asked-box").hidden = false;
  }
  const res = await fetch("../api/requests/" + encodeURIComponent(id), { cache: "no-store", credentials: "omit" });
  const body = await res.json().catch(() => ({}));
  if (res.status === 404) return stop("This request does not exist or has expired. Ask the person for a new link.");
  if (res.status !== 200) return stop(body.message || "The request could not be read (" + res.status + ").");
  if (body.answered) return stop("This request has been answered already; it takes one answer.");
  const key = fromB64url(body.publicKey);
  const actual = await HPKE.fingerprint(key);
  let diff = key.length === 32 ? 0 : 1;
  for (let i = 0; i < 16; i++) diff |= actual[i] ^ fragment.fingerprint[i];
  if (diff !== 0) {
    return stop("Stop: the server gave a different key than the one your link names, so someone other than the "
      + "asker could read the answer. Nothing was sent. Tell the asker (fingerprint " + b64url(actual) + ").");
  }
  publicKey = key;
  $("status").textContent = "Send the secret below. It can be answered once.";
  $("answer-form").hidden = false;
}

function updateKind() {
  const file = $("kind-file").checked;
  $("file-box").hidden = !file;
  $("text-box").hidden = file;
}

function send(event) {
  event.preventDefault();
  $("error").hidden = true;
  let job;
  if ($("kind-file").checked) {
    const f = $("secret-file").files[0];
    if (!f) return showError("Choose a file to send.");
    if (f.size === 0) return showError("The file is empty; there is nothing to send.");
    job = { source: f, kind: KIND_FILE, filename: f.name, contentType: f.type || null };
  } else {
    const text = $("secret-text").value;
    if (!text) return showError("Type the secret to send.");
    job = { source: new Blob([new TextEncoder().encode(text)]), kind: KIND_TEXT, filename: null, contentType: null };
  }
  job.passphrase = null;
  job.answer = { id, publicKey };
  job.api = new URL("..", document.baseURI).href;
  $("send").disabled = true;
  $("progress-box").hidden = false;
  runUpload(job, {
    progress: $("progress"),
    text: $("progress-text"),
    onError: message => {
      $("send").disabled = false;
      $("progress-box").hidden = true;
      showError(message);
    },
    onDone: () => {
      $("secret-text").value = "";
      $("answer-form").hidden = true;
      $("status").hidden = true;
      $("result").hidden = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("kind-text").addEventListener("change", updateKind);
  $("kind-file").addEventListener("change", updateKind);
  $("answer-form").addEventListener("submit", send);
  load().catch(() => stop("The service could not be reached."));
});
