// Asking for a secret (issue 23): a fresh X25519 key pair is made here; only its public key goes to the server. The
// fill link carries the key's fingerprint (so the responder's browser detects a server that swaps the key), the answer
// token (only the link's holder may answer) and the label, all in the fragment; the inbox link carries the private key in its fragment. Nothing is kept in storage.
import { b64url } from "./envelope.js";
import * as HPKE from "./hpke.js";
import { announce, apiError, copyButton, csrfHeaders, dateTime, put, putText, ready, t } from "./page.js";

const $ = id => document.getElementById(id);

function showError(message) {
  putText($("error"), message);
  $("error").hidden = false;
}

async function ask(event) {
  event.preventDefault();
  $("error").hidden = true;
  const label = $("label").value.trim();
  const labelBytes = new TextEncoder().encode(label);
  if (labelBytes.length > 200) return showError(t("ask.error.labelTooLong"));
  const notify = $("more-options").hidden ? null : ($("notify-url").value.trim() || null);
  $("ask").disabled = true;
  try {
    const keys = await HPKE.newKeyPair();
    const res = await fetch(new URL("api/requests", document.baseURI), {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", ...csrfHeaders() },
      body: JSON.stringify(notify ? { publicKey: b64url(keys.publicKey), ttl: Number($("ttl").value), notify }
        : { publicKey: b64url(keys.publicKey), ttl: Number($("ttl").value) })
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 201) {
      keys.privateKey.fill(0);
      return showError(apiError(body, "ask.error.create"));
    }
    const fill = new URL("a/" + body.id, document.baseURI);
    if (!/^[A-Za-z0-9_-]{43}$/.test(body.answerToken || "")) return showError(t("ask.error.create"));
    fill.hash = b64url(await HPKE.fingerprint(keys.publicKey)) + "." + body.answerToken
      + (label ? "." + b64url(labelBytes) : "");
    const inbox = new URL("s/" + body.id, document.baseURI);
    inbox.hash = b64url(keys.privateKey);
    keys.privateKey.fill(0);
    const receipt = new URL("q/" + body.id, document.baseURI);
    receipt.hash = body.ownerToken;
    $("fill-link").value = fill.href;
    $("inbox-link").value = inbox.href;
    $("request-receipt").value = receipt.href;
    $("receipt-open").href = receipt.href;
    put($("expires"), "ask.expires", { when: dateTime(body.expiresAt) });
    $("notify-box").hidden = !body.notifySecret;
    $("notify-secret").value = body.notifySecret || "";
    $("ask-form").hidden = true;
    $("result").hidden = false;
    $("result-heading").focus();
    announce(t("ask.announce"));
  } catch (e) {
    console.error(e); // no key or label is in it: a failure of this page's code or the browser's
    showError(t("ask.error.create"));
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
      if (s.create === "unauthenticated" && s.signIn && !s.messageKey) put($("access-note"), "ask.signIn");
      else if (s.messageKey) put($("access-note"), s.messageKey, s.messageParams || {});
      else {
        putText($("access-note"), apiError({ error: "create_" + s.create, message: s.message },
          "account.cannotCreate"));
      }
      $("access-note").hidden = false;
      $("ask").disabled = true;
    }
  } catch (e) {
    // the form still works; a refusal will say why
  }
}

// a module runs once the document is parsed; the language and branding come first
{
  await ready;
  showAccess();
  $("ask-form").addEventListener("submit", ask);
  copyButton("copy-fill", "fill-link", "common.linkCopied");
  copyButton("copy-inbox", "inbox-link", "common.linkCopied");
  copyButton("copy-notify-secret", "notify-secret");
  $("another").addEventListener("click", () => {
    for (const f of ["fill-link", "inbox-link", "request-receipt", "notify-secret", "notify-url"]) $(f).value = "";
    $("notify-box").hidden = true;
    $("label").value = "";
    $("result").hidden = true;
    $("ask-form").hidden = false;
  });
}
