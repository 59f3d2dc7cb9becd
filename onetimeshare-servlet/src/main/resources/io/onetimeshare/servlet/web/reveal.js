import { fromB64url, open } from "./crypto.js";

const $ = id => document.getElementById(id);
const id = location.pathname.split("/").pop();
const api = "../api/secrets/" + encodeURIComponent(id);

// Fragment forms: "z1.<browserKey>[.<serverKey>]" (made by this page: zero-knowledge), or "<serverKey>" (API links).
function parseFragment() {
  const f = location.hash.slice(1);
  if (f.startsWith("z1.")) {
    const [, browserKey, serverKey] = f.split(".");
    return { browserKey, serverKey };
  }
  return { browserKey: null, serverKey: f || null };
}

function show(section) {
  for (const s of ["waiting", "revealed", "gone"]) $(s).hidden = s !== section;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

let passphraseRequired = false;

async function check() {
  const res = await fetch(api, { cache: "no-store", credentials: "omit" });
  if (res.status === 200) {
    const info = await res.json();
    passphraseRequired = info.passphraseRequired;
    $("passphrase-box").hidden = !passphraseRequired;
    $("status").textContent = "A secret is waiting for you.";
    show("waiting");
  } else if (res.status === 404 || res.status === 400) {
    $("status").textContent = "Nothing to reveal.";
    show("gone");
  } else {
    $("status").textContent = "The service is not available right now; try again in a moment.";
  }
}

async function reveal() {
  $("error").hidden = true;
  const { browserKey, serverKey } = parseFragment();
  const body = passphraseRequired ? { passphrase: $("passphrase").value } : { key: serverKey };
  if (passphraseRequired && !body.passphrase) return showError("Type the passphrase you were given.");
  if (!passphraseRequired && !serverKey) return showError("This link is incomplete: the key after # is missing.");
  $("reveal").disabled = true;
  try {
    const res = await fetch(api + "/open", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      cache: "no-store", credentials: "omit"
    });
    if (res.status === 404) {
      $("status").textContent = "Nothing to reveal.";
      return show("gone");
    }
    if (res.status === 403) {
      const e = await res.json();
      if (e.attemptsLeft === 0) {
        $("status").textContent = "Too many wrong attempts: the secret has been destroyed.";
        return show("gone");
      }
      return showError("Wrong passphrase. " + e.attemptsLeft + " attempt(s) left.");
    }
    if (res.status !== 200) {
      const e = await res.json().catch(() => ({}));
      return showError(e.message || "The secret could not be opened.");
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    let meta;
    let content;
    if (browserKey) {
      ({ meta, content } = await open(fromB64url(browserKey), bytes));
    } else {
      const disposition = res.headers.get("Content-Disposition") || "";
      meta = disposition ? { kind: "file", name: decodeURIComponent(disposition.split("''")[1] || "secret.bin") }
        : { kind: "text" };
      content = bytes;
    }
    history.replaceState(null, "", location.pathname); // drop the key from the address bar
    $("status").textContent = "Here is your secret.";
    if (meta.kind === "text") {
      $("secret").value = new TextDecoder().decode(content);
      $("text-result").hidden = false;
    } else {
      // never the creator's MIME type: a download is bytes, not something the browser should render or run
      const url = URL.createObjectURL(new Blob([content], { type: "application/octet-stream" }));
      $("download").href = url;
      $("download").download = meta.name || "secret.bin";
      $("download").textContent = meta.name || "secret.bin";
      $("file-result").hidden = false;
    }
    show("revealed");
  } catch (e) {
    showError("The secret could not be decrypted: the link may be damaged.");
  } finally {
    $("reveal").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("reveal").addEventListener("click", reveal);
  $("copy-secret").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("secret").value);
    $("copy-secret").textContent = "Copied";
  });
  check().catch(() => { $("status").textContent = "The service could not be reached."; });
});
