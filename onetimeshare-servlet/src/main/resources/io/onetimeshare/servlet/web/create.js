import { b64url, newKey, seal } from "./crypto.js";

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

async function create(event) {
  event.preventDefault();
  $("error").hidden = true;
  const button = $("create");
  let content;
  let meta;
  if (selectedKind() === "file") {
    const f = $("secret-file").files[0];
    if (!f) return showError("Choose a file to share.");
    content = new Uint8Array(await f.arrayBuffer());
    meta = { kind: "file", name: f.name, type: f.type || "application/octet-stream" };
  } else {
    const text = $("secret-text").value;
    if (!text) return showError("Type the secret to share.");
    content = new TextEncoder().encode(text);
    meta = { kind: "text" };
  }
  button.disabled = true;
  try {
    const browserKey = await newKey();
    const sealed = await seal(browserKey, meta, content);
    const headers = { "Content-Type": "application/octet-stream" };
    const pass = $("passphrase").value;
    // header values must be Latin-1 in fetch(): send the passphrase's UTF-8 bytes percent-encoded (docs/http-api.md)
    if (pass) headers["OTS-Passphrase"] = "UTF-8''" + encodeURIComponent(pass);
    const res = await fetch("api/secrets?ttl=" + encodeURIComponent($("ttl").value),
      { method: "POST", headers, body: sealed, credentials: "omit", cache: "no-store" });
    const body = await res.json();
    if (res.status !== 201) return showError(body.message || "The secret could not be stored.");
    // z1.<browser key>[.<server key>]: the browser key never leaves this page except inside the fragment
    let fragment = "z1." + b64url(browserKey);
    if (body.key) fragment += "." + body.key;
    browserKey.fill(0);
    const link = new URL("s/" + body.id, document.baseURI);
    link.hash = fragment;
    $("link").value = link.href;
    $("expires").textContent = "Expires " + new Date(body.expiresAt).toLocaleString() + " if nobody opens it.";
    $("create-form").hidden = true;
    $("result").hidden = false;
    $("secret-text").value = "";
    $("passphrase").value = "";
  } catch (e) {
    showError("Something went wrong: " + e.message);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("kind-text").addEventListener("change", updateKind);
  $("kind-file").addEventListener("change", updateKind);
  $("create-form").addEventListener("submit", create);
  $("copy-link").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("link").value);
    $("copy-link").textContent = "Copied";
  });
  $("another").addEventListener("click", () => {
    $("result").hidden = true;
    $("create-form").hidden = false;
    $("copy-link").textContent = "Copy";
  });
});
