// Answering a secret request (issue 23). The fill link's fragment holds the fingerprint of the asker's public key, the
// answer token (issue 36: only the link's holder may answer; the id in the path is not enough) and an optional label;
// the server gives the key itself, which is checked against the fingerprint before anything is sealed: a server that
// swapped the key (to read the answer) is caught here, and nothing is sent.
import { b64url, fromB64url, KIND_FILE, KIND_TEXT } from "./envelope.js";
import * as HPKE from "./hpke.js";
import { runUpload } from "./uploader.js";
import { announce, apiError, put, putText, ready, t } from "./page.js";

const $ = id => document.getElementById(id);
const id = location.pathname.split("/").pop();
let publicKey = null;
let answerToken = null;

function showError(message) {
  putText($("error"), message);
  $("error").hidden = false;
}

function stop(key, params) {
  put($("status"), key, params);
  $("answer-form").hidden = true;
}

// #<fingerprint>.<answer token>[.<label>] (docs/format.md, "Fill links"); a link from before answer tokens has
// #<fingerprint>[.<label>]: it is told apart by the token's fixed length and refused with its own message
function parseFragment() {
  const [fp, answerToken, label] = location.hash.slice(1).split(".");
  let fingerprint;
  try {
    fingerprint = fromB64url(fp || "");
  } catch (e) {
    fingerprint = null;
  }
  if (!fingerprint || fingerprint.length !== 16) return null;
  if (!answerToken || !/^[A-Za-z0-9_-]{43}$/.test(answerToken)) return { outdated: true };
  let text = null;
  if (label) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(fromB64url(label));
    } catch (e) {
      text = null;
    }
  }
  return { fingerprint, answerToken, label: text };
}

async function load() {
  const fragment = parseFragment();
  if (!fragment) {
    return stop("answer.incomplete");
  }
  if (fragment.outdated) {
    return stop("answer.outdated");
  }
  answerToken = fragment.answerToken;
  if (fragment.label) {
    $("asked-for").textContent = fragment.label;
    $("asked-box").hidden = false;
  }
  const res = await fetch("../api/requests/" + encodeURIComponent(id), { cache: "no-store", credentials: "omit" });
  const body = await res.json().catch(() => ({}));
  if (res.status === 404) return stop("answer.none");
  if (res.status !== 200) {
    $("answer-form").hidden = true;
    return putText($("status"), apiError(body, "answer.error.read"));
  }
  if (body.answered) return stop("answer.answered");
  const key = fromB64url(body.publicKey);
  const actual = await HPKE.fingerprint(key);
  let diff = key.length === 32 ? 0 : 1;
  for (let i = 0; i < 16; i++) diff |= actual[i] ^ fragment.fingerprint[i];
  if (diff !== 0) {
    return stop("answer.swapped", { fingerprint: b64url(actual) });
  }
  publicKey = key;
  put($("status"), "answer.ready");
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
    if (!f) return showError(t("answer.error.noFile"));
    if (f.size === 0) return showError(t("create.error.emptyFile"));
    job = { source: f, kind: KIND_FILE, filename: f.name, contentType: f.type || null };
  } else {
    const text = $("secret-text").value;
    if (!text) return showError(t("answer.error.noText"));
    job = { source: new Blob([new TextEncoder().encode(text)]), kind: KIND_TEXT, filename: null, contentType: null };
  }
  job.passphrase = null;
  job.answer = { id, publicKey, answerToken };
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
      $("sent-heading").focus();
      announce(t("answer.sent"));
    }
  });
}

// a module runs once the document is parsed; the language and branding come first
{
  await ready;
  $("kind-text").addEventListener("change", updateKind);
  $("kind-file").addEventListener("change", updateKind);
  $("answer-form").addEventListener("submit", send);
  load().catch(() => stop("error.unreachable"));
}
