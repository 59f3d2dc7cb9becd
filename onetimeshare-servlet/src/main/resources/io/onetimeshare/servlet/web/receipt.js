// A receipt: what became of a secret, shown to its creator; or (a link under q/) what became of a secret request,
// shown to its asker. The token travels in the fragment of the receipt link (never sent by the browser) and goes to
// the server only in a request header.
import { apiError, dateTime, put, putText, ready, t } from "./page.js";

const $ = id => document.getElementById(id);
const parts = location.pathname.split("/");
const id = parts.pop();
const isRequest = parts.pop() === "q";
const token = location.hash.slice(1);
const api = (isRequest ? "../api/requests/" : "../api/secrets/") + encodeURIComponent(id);
const header = isRequest ? "OTS-Owner-Token" : "OTS-Delete-Token";
const prefix = isRequest ? "receipt.request." : "receipt.secret.";

function showError(message) {
  putText($("error"), message);
  $("error").hidden = false;
}

async function load() {
  $("error").hidden = true;
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    put($("status"), "receipt.incomplete");
    return;
  }
  const res = await fetch(api + "/receipt", {
    headers: { [header]: token }, cache: "no-store", credentials: "omit"
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 404) {
    put($("status"), prefix + "none");
    $("details").hidden = true;
    return;
  }
  if (res.status !== 200) return showError(apiError(body, "receipt.error.read"));
  put($("status"), prefix + body.state);
  put($("state"), "receipt.stateName." + body.state);
  if (body.at) putText($("when"), dateTime(body.at)); else putText($("when"), "—");
  putText($("expires"), body.expiresAt ? dateTime(body.expiresAt) : "—");
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
    return showError(apiError(body, "receipt.error.delete"));
  }
  await load();
}

// a module runs once the document is parsed; the language and branding come first
{
  await ready;
  if (isRequest) {
    document.querySelector("title").dataset.i18nPage = "title.requestReceipt";
    put($("delete"), "receipt.withdraw");
    document.title = t("title.requestReceipt", { name: document.querySelector(".brand-name").textContent });
  }
  $("refresh").addEventListener("click", () => load().catch(() => showError(t("error.unreachable"))));
  $("delete").addEventListener("click", () => remove().catch(() => showError(t("error.unreachable"))));
  load().catch(() => put($("status"), "error.unreachable"));
}
