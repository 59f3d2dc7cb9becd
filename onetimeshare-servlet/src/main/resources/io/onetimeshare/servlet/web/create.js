import { KIND_FILE, KIND_TEXT } from "./envelope.js";
import { runUpload } from "./uploader.js";
import { announce, apiError, copyButton, csrfHeaders, dateTime, ready, setText, t } from "./page.js";
import { drawQr } from "./qr.js";

const $ = id => document.getElementById(id);
let expiresAt = null;

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
    if (!f) return showError(t("create.error.noFile"));
    if (f.size === 0) return showError(t("create.error.emptyFile"));
    job = { source: f, kind: KIND_FILE, filename: f.name, contentType: f.type || null };
  } else {
    const text = $("secret-text").value;
    if (!text) return showError(t("create.error.noText"));
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

function showExpiry() {
  if (expiresAt) setText($("expires"), t("created.expires", { when: dateTime(expiresAt) }));
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
  expiresAt = m.expiresAt;
  showExpiry();
  $("notify-box").hidden = !m.notifySecret;
  $("notify-secret").value = m.notifySecret || "";
  $("qr-box").hidden = true;
  $("show-qr").setAttribute("aria-expanded", "false");
  $("create-form").hidden = true;
  $("result").hidden = false;
  $("create").disabled = false;
  $("progress-box").hidden = true;
  $("secret-text").value = "";
  $("passphrase").value = "";
  $("notify-url").value = "";
  $("result-heading").focus(); // keyboard and screen reader users land on the result
  announce(t("created.announce"));
}

/**
 * Who may create here (issue 21): the server says through GET api/session whether this browser may create now, who
 * is signed in, and where to sign in and out. Anyone may open a link; only creating can need a sign-in.
 */
let session = null;

function showAccess() {
  const s = session;
  if (!s) return;
  $("more-options").hidden = !s.notify; // offered only where the operator lets senders name a callback
  const note = $("access-note");
  if (s.signIn) {
    $("account").hidden = false;
    if (s.user) {
      $("account-user").textContent = t("account.signedInAs", { user: s.user });
      $("sign-out").action = s.signOut + "?return=" + encodeURIComponent(location.pathname);
      $("sign-out").hidden = false;
      // a host whose CSRF token is in the XSRF-TOKEN cookie (Spring Security) wants it as a header: a form cannot send one
      $("sign-out").addEventListener("submit", async e => {
        const csrf = csrfHeaders();
        if (!csrf["X-XSRF-TOKEN"]) return;
        e.preventDefault();
        await fetch($("sign-out").action, { method: "POST", credentials: "same-origin", headers: csrf }).catch(() => null);
        location.reload();
      });
    } else {
      $("sign-in").href = s.signIn + "?return=" + encodeURIComponent(location.pathname);
      $("sign-in").hidden = false;
    }
  }
  if (s.create !== "allowed") {
    note.textContent = s.create === "unauthenticated" && s.signIn && !s.messageKey ? t("account.signInToCreate")
      : s.messageKey ? t(s.messageKey, s.messageParams || {})
        : apiError({ error: "create_" + s.create, message: s.message }, "account.cannotCreate");
    note.hidden = false;
    $("create").disabled = true;
  }
}

async function loadSession() {
  try {
    const res = await fetch(new URL("api/session", document.baseURI), { headers: { "Accept": "application/json" } });
    if (!res.ok) return;
    session = await res.json();
  } catch (e) {
    return; // the form still works; a refusal will say why
  }
  showAccess();
}

// a module runs once the document is parsed; the language and branding come first
{
  await ready;
  loadSession();
  document.addEventListener("ots:language", () => { showAccess(); showExpiry(); });
  $("kind-text").addEventListener("change", updateKind);
  $("kind-file").addEventListener("change", updateKind);
  $("create-form").addEventListener("submit", create);
  copyButton("copy-link", "link", "created.linkCopied");
  copyButton("copy-notify-secret", "notify-secret");
  $("show-qr").addEventListener("click", () => {
    const open = $("qr-box").hidden;
    if (open) drawQr($("qr"), $("link").value);
    $("qr-box").hidden = !open;
    $("show-qr").setAttribute("aria-expanded", String(open));
  });
  $("another").addEventListener("click", () => {
    $("notify-box").hidden = true;
    $("notify-secret").value = "";
    $("link").value = "";
    $("qr-box").hidden = true;
    $("result").hidden = true;
    $("create-form").hidden = false;
    expiresAt = null;
    (selectedKind() === "file" ? $("secret-file") : $("secret-text")).focus();
  });
}
