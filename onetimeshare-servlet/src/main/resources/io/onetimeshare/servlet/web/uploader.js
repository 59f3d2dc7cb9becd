// Runs one upload in the sealing worker (upload-worker.js) and reports its progress to a <progress> and a status
// line: used by the create page and by the answer page of a secret request. The page never holds the whole file.

function mib(bytes) {
  return (bytes / 1048576).toFixed(1) + " MiB";
}

/**
 * Starts {@code job} (see upload-worker.js) in a new worker; {@code ui} has {progress, text} elements and the
 * callbacks onError(message) and onDone(message from the worker). Returns the worker.
 */
export function runUpload(job, ui) {
  ui.progress.value = 0;
  ui.text.textContent = "Starting…";
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
      ui.text.textContent = m.phase;
    } else if (m.type === "kdf") {
      ui.progress.value = m.done / m.total;
    } else if (m.type === "progress") {
      ui.progress.value = m.done / m.total;
      ui.text.textContent = "Encrypted and uploaded " + mib(m.bytes) + " (" + m.done + " of " + m.total
        + " segments)";
    } else if (m.type === "retry") {
      ui.text.textContent = "Connection lost; resuming (attempt " + m.attempt + ")…";
    } else if (m.type === "error") {
      settled();
      worker.terminate();
      ui.onError(m.message);
    } else if (m.type === "done") {
      settled();
      worker.terminate();
      ui.onDone(m);
    }
  };
  worker.onerror = () => ui.onError("The encryption worker could not start in this browser.");
  worker.postMessage(job);
  return worker;
}
