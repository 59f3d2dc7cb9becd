// Runs one upload in the sealing worker (upload-worker.js) and reports its progress to a <progress> and a status
// line: used by the create page and by the answer page of a secret request. The page never holds the whole file.
import { announce, apiError, csrfHeaders, number, size, t } from "./page.js";

/**
 * Starts {@code job} (see upload-worker.js) in a new worker; {@code ui} has {progress, text} elements and the
 * callbacks onError(message) and onDone(message from the worker). Returns the worker.
 */
export function runUpload(job, ui) {
  ui.progress.value = 0;
  ui.text.textContent = t("progress.starting");
  let lastAnnounced = 0;
  const worker = new Worker(new URL("upload-worker.js", import.meta.url), { type: "module" });
  // an upload cannot resume in another page (its key lives only in the worker): leaving the page mid-way withdraws
  // it, so a secret request's answer frees the request at once instead of after the upload's idle hour
  let abandon = null;
  const settled = () => {
    if (abandon) removeEventListener("pagehide", abandon);
    abandon = null;
  };
  worker.onmessage = e => {
    const m = e.data;
    if (m.type === "begun") {
      abandon = () => fetch(new URL("../api/uploads/" + m.id, import.meta.url), { method: "DELETE",
        keepalive: true, credentials: "omit", headers: { "OTS-Delete-Token": m.deleteToken } });
      addEventListener("pagehide", abandon);
    } else if (m.type === "phase") {
      ui.text.textContent = t(m.key);
    } else if (m.type === "kdf") {
      ui.progress.value = m.done / m.total;
    } else if (m.type === "progress") {
      ui.progress.value = m.done / m.total;
      ui.text.textContent = t("progress.uploaded", { size: size(m.bytes), done: number(m.done),
        total: number(m.total) });
      const percent = Math.floor(100 * m.done / m.total / 25) * 25; // told to screen readers every quarter
      if (percent > lastAnnounced && percent < 100) {
        lastAnnounced = percent;
        announce(t("progress.percent", { percent: number(percent) }));
      }
    } else if (m.type === "retry") {
      ui.text.textContent = t("progress.retry", { attempt: number(m.attempt) });
    } else if (m.type === "error") {
      settled();
      worker.terminate();
      ui.onError(m.body ? apiError(m.body, m.key) : t(m.key, { detail: m.detail }));
    } else if (m.type === "done") {
      settled();
      worker.terminate();
      ui.onDone(m);
    }
  };
  worker.onerror = () => ui.onError(t("error.worker"));
  // a worker cannot read cookies: the anti-forgery header for the one request that carries them travels with the job
  worker.postMessage({ ...job, csrf: csrfHeaders() });
  return worker;
}
