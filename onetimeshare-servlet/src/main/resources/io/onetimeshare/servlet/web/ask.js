// Asking for a secret (issue 23): a fresh X25519 key pair is made here; only its public key goes to the server. The
// fill link carries the key's fingerprint (so the responder's browser detects a server that swaps the key) and the
// label, both in the fragment; the inbox link carries the private key in its fragment. Nothing is kept in storage.
import { b64url } from "./envelope.js";
import * as HPKE from "./hpke.js";

const $ = id => document.getElementById(id);

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

async function ask(event) {
  event.preventDefault();
  $("error").hidden = true;
  const label = $("label").value.trim();
  const labelBytes = new TextEncoder().encode(label);
  if (labelBytes.length > 200) return showError("The description is too long: at most 200 bytes.");
  const notify = $("more-options").hidden ? null : ($("notify-url").value.trim() || null);
  $("ask").disabled = true;
  try {
    const keys = await HPKE.newKeyPair();
    const res = await fetch(new URL("api/requests", document.baseURI), {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(notify ? { publicKey: b64url(keys.publicKey), ttl: Number($("ttl").value), notify }
        : { publicKey: b64url(keys.publicKey), ttl: Number($("ttl").value) })
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 201) {
      keys.privateKey.fill(0);
      return showError(body.message || "The request could not be created (" + res.status + ").");
    }
    const fill = new URL("a/" + body.id, document.baseURI);
    fill.hash = b64url(await HPKE.fingerprint(keys.publicKey)) + (label ? "." + b64url(labelBytes) : "");
    const inbox = new URL("s/" + body.id, document.baseURI);
    inbox.hash = b64url(keys.privateKey);
    keys.privateKey.fill(0);
    const receipt = new URL("q/" + body.id, document.baseURI);
    receipt.hash = body.ownerToken;
    $("fill-link").value = fill.href;
    $("inbox-link").value = inbox.href;
    $("request-receipt").value = receipt.href;
    $("receipt-open").href = receipt.href;
    $("expires").textContent = "The request expires " + new Date(body.expiresAt).toLocaleString()
      + "; an answer not opened by then expires with it.";
    $("notify-box").hidden = !body.notifySecret;
    $("notify-secret").value = body.notifySecret || "";
    $("ask-form").hidden = true;
    $("result").hidden = false;
  } catch (e) {
    showError("The request could not be created: " + e.message);
  } finally {
    $("ask").disabled = false;
  }
}

async function showAccess() {
  try {
    const res = await fetch(new URL("api/session", document.baseURI), { headers: { "Accept": "application/json" } });
    if (!res.ok) return;
    const s = await res.json();
    $("more-options").hidden = !s.notify; // offered only where the operator lets askers name a callback
    if (s.create !== "allowed") {
      $("access-note").textContent = s.create === "unauthenticated" && s.signIn
        ? "Sign in on the start page to ask for secrets. Answering a request needs no account." : s.message;
      $("access-note").hidden = false;
      $("ask").disabled = true;
    }
  } catch (e) {
    // the form still works; a refusal will say why
  }
}

function copier(button, input) {
  $(button).addEventListener("click", async () => {
    await navigator.clipboard.writeText($(input).value);
    $(button).textContent = "Copied";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  showAccess();
  $("ask-form").addEventListener("submit", ask);
  copier("copy-fill", "fill-link");
  copier("copy-inbox", "inbox-link");
  copier("copy-notify-secret", "notify-secret");
  $("another").addEventListener("click", () => {
    for (const f of ["fill-link", "inbox-link", "request-receipt", "notify-secret", "notify-url"]) $(f).value = "";
    $("notify-box").hidden = true;
    $("copy-fill").textContent = "Copy";
    $("copy-inbox").textContent = "Copy";
    $("copy-notify-secret").textContent = "Copy";
    $("label").value = "";
    $("result").hidden = true;
    $("ask-form").hidden = false;
  });
});
