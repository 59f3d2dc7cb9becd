import { KIND_FILE, KIND_TEXT } from "./envelope.js";
import { runUpload } from "./uploader.js";

const $ = id => document.getElementById(id);

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function selectedKind() {
  return $("kind-file").checked ? "file" : "text";
}

function updateKind() {
  const file = selectedKind() === "file";
  $("file-box").hidden = !file;
  $("text-box").hidden = file;
}

function create(event) {
  event.preventDefault();
  $("error").hidden = true;
  let job;
  if (selectedKind() === "file") {
    const f = $("secret-file").files[0];
    if (!f) return showError("Choose a file to share.");
    if (f.size === 0) return showError("The file is empty; there is nothing to share.");
    job = { source: f, kind: KIND_FILE, filename: f.name, contentType: f.type || null };
  } else {
    const text = $("secret-text").value;
    if (!text) return showError("Type the secret to share.");
    job = { source: new Blob([new TextEncoder().encode(text)]), kind: KIND_TEXT, filename: null, contentType: null };
  }
  job.passphrase = $("passphrase").value || null;
  job.ttl = $("ttl").value;
  job.notify = $("more-options").hidden ? null : ($("notify-url").value.trim() || null);
  job.api = new URL(".", document.baseURI).href;
  $("create").disabled = true;
  $("progress-box").hidden = false;
  runUpload(job, {
    progress: $("progress"),
    text: $("progress-text"),
    onError: message => {
      $("create").disabled = false;
      $("progress-box").hidden = true;
      showError(message);
    },
    onDone: done
  });
}

function done(m) {
  // the key is only ever in the fragment, which browsers never send to a server; the deletion token likewise
  const link = new URL("s/" + m.id, document.baseURI);
  if (m.key) link.hash = m.key;
  const receipt = new URL("r/" + m.id, document.baseURI);
  receipt.hash = m.deleteToken;
  $("link").value = link.href;
  $("receipt-link").value = receipt.href;
  $("receipt-open").href = receipt.href;
  $("expires").textContent = "Expires " + new Date(m.expiresAt).toLocaleString() + " if nobody opens it.";
  $("notify-box").hidden = !m.notifySecret;
  $("notify-secret").value = m.notifySecret || "";
  $("create-form").hidden = true;
  $("result").hidden = false;
  $("create").disabled = false;
  $("progress-box").hidden = true;
  $("secret-text").value = "";
  $("passphrase").value = "";
  $("notify-url").value = "";
}

/**
 * Who may create here (issue 21): the server says through GET api/session whether this browser may create now, who
 * is signed in, and where to sign in and out. Anyone may open a link; only creating can need a sign-in.
 */
async function showAccess() {
  let s;
  try {
    const res = await fetch(new URL("api/session", document.baseURI), { headers: { "Accept": "application/json" } });
    if (!res.ok) return;
    s = await res.json();
  } catch (e) {
    return; // the form still works; a refusal will say why
  }
  $("more-options").hidden = !s.notify; // offered only where the operator lets senders name a callback
  const note = $("access-note");
  if (s.signIn) {
    $("account").hidden = false;
    if (s.user) {
      $("account-user").textContent = "Signed in as " + s.user;
      $("sign-out").action = s.signOut + "?return=" + encodeURIComponent(location.pathname);
      $("sign-out").hidden = false;
    } else {
      $("sign-in").href = s.signIn + "?return=" + encodeURIComponent(location.pathname);
      $("sign-in").hidden = false;
    }
  }
  if (s.create !== "allowed") {
    note.textContent = s.create === "unauthenticated" && s.signIn
      ? "Sign in to create secrets. Opening a link you received needs no account." : s.message;
    note.hidden = false;
    $("create").disabled = true;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  showAccess();
  $("kind-text").addEventListener("change", updateKind);
  $("kind-file").addEventListener("change", updateKind);
  $("create-form").addEventListener("submit", create);
  $("copy-link").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("link").value);
    $("copy-link").textContent = "Copied";
  });
  $("copy-notify-secret").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("notify-secret").value);
    $("copy-notify-secret").textContent = "Copied";
  });
  $("another").addEventListener("click", () => {
    $("notify-box").hidden = true;
    $("notify-secret").value = "";
    $("copy-notify-secret").textContent = "Copy";
    $("result").hidden = true;
    $("create-form").hidden = false;
    $("copy-link").textContent = "Copy";
  });
});
