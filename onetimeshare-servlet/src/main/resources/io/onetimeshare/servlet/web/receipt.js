// A receipt: what became of a secret, shown to its creator; or (a link under q/) what became of a secret request,
// shown to its asker. The token travels in the fragment of the receipt link (never sent by the browser) and goes to
// the server only in a request header.
const $ = id => document.getElementById(id);
const parts = location.pathname.split("/");
const id = parts.pop();
const isRequest = parts.pop() === "q";
const token = location.hash.slice(1);
const api = (isRequest ? "../api/requests/" : "../api/secrets/") + encodeURIComponent(id);
const header = isRequest ? "OTS-Owner-Token" : "OTS-Delete-Token";
const WORDS = isRequest ? {
  waiting: "Waiting: nobody has answered yet.",
  answered: "Answered: the answer is being sent or waits for you. Open it with your inbox link.",
  opened: "Opened. The answer was delivered once and is gone from the server.",
  expired: "Expired: the request (or its answer, unopened) was removed from the server.",
  deleted: "Withdrawn."
} : {
  waiting: "Waiting: not opened yet.",
  opened: "Opened. It has been delivered once and is gone from the server.",
  expired: "Expired unopened. It was removed from the server.",
  deleted: "Deleted before anyone opened it.",
  burned: "Destroyed after too many wrong passphrases."
};

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

async function load() {
  $("error").hidden = true;
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    $("status").textContent = "This receipt link is incomplete: the token after # is missing or damaged.";
    return;
  }
  const res = await fetch(api + "/receipt", {
    headers: { [header]: token }, cache: "no-store", credentials: "omit"
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 404) {
    $("status").textContent = isRequest ? "No receipt: the request never existed here, was withdrawn, or expired "
      + "long ago." : "No receipt: the secret never existed here, or its expiry was more than an hour ago.";
    $("details").hidden = true;
    return;
  }
  if (res.status !== 200) return showError(body.message || "The receipt could not be read.");
  $("status").textContent = WORDS[body.state] || body.state;
  $("state").textContent = body.state;
  $("when").textContent = body.at ? new Date(body.at).toLocaleString() : "—";
  $("expires").textContent = body.expiresAt ? new Date(body.expiresAt).toLocaleString() : "—";
  $("details").hidden = isRequest; // a request's receipt says its state in words
  $("refresh").hidden = false;
  $("delete").hidden = !(body.state === "waiting" || (isRequest && body.state === "answered"));
}

async function remove() {
  const res = await fetch(api, {
    method: "DELETE", headers: { [header]: token }, cache: "no-store", credentials: "omit"
  });
  if (res.status !== 204 && res.status !== 404) {
    const body = await res.json().catch(() => ({}));
    return showError(body.message || "The secret could not be deleted.");
  }
  await load();
}

document.addEventListener("DOMContentLoaded", () => {
  if (isRequest) {
    document.title = "OneTimeShare: request receipt";
    $("delete").textContent = "Withdraw the request";
  }
  $("refresh").addEventListener("click", () => load().catch(() => showError("The service could not be reached.")));
  $("delete").addEventListener("click", () => remove().catch(() => showError("The service could not be reached.")));
  load().catch(() => { $("status").textContent = "The service could not be reached."; });
});
