// The page's copy of the one sanitiser for a sender's file name: the same rules as io.onetimeshare.FileNames, checked
// against the same cases (onetimeshare-core/src/test/resources/vectors/filenames.json) in the browser test.
// Applied when a name is sealed and again when a received name is saved, because a sender's client may be anything.

const MAX_BYTES = 255;
const DEVICES = new Set(["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3",
  "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3"]);
const utf8 = new TextEncoder();

// what FileNames.allowed refuses: controls, Windows-reserved characters, format characters (bidi, zero-width...),
// line and paragraph separators, private use, unassigned code points and lone surrogates
const REFUSED = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}<>:"|?*]/u;

function trim(s) {
  let from = 0;
  let to = s.length;
  while (from < to && (s[from] === "." || /\s/.test(s[from]))) from++;
  while (to > from && (s[to - 1] === "." || /\s/.test(s[to - 1]))) to--;
  return s.slice(from, to);
}

function bytes(s) {
  return utf8.encode(s).length;
}

/** A safe bare name, cut to 255 bytes of UTF-8 on a code point boundary, or null when nothing is left. */
export function safeFilename(raw) {
  if (raw == null) return null;
  let f = String(raw).replace(/\\/g, "/");
  f = f.slice(f.lastIndexOf("/") + 1);
  let kept = "";
  for (const ch of f) { // by code point; a lone surrogate comes as one unit and is refused
    const cp = ch.codePointAt(0);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!REFUSED.test(ch)) kept += ch;
  }
  let s = trim(kept);
  const points = Array.from(s);
  while (points.length && bytes(points.join("")) > MAX_BYTES) points.pop();
  s = trim(points.join(""));
  if (!s) return null;
  const dot = s.indexOf(".");
  const stem = (dot < 0 ? s : s.slice(0, dot)).trim().toUpperCase();
  if (DEVICES.has(stem)) {
    s = "_" + s;
    const p = Array.from(s);
    while (bytes(p.join("")) > MAX_BYTES) p.pop();
    s = p.join("");
  }
  return s;
}

/** {@code s} cut to at most {@code max} bytes of UTF-8 on a code point boundary, as bytes. */
export function utf8Cut(s, max) {
  const points = Array.from(s);
  let out = utf8.encode(s);
  while (out.length > max) {
    points.pop();
    out = utf8.encode(points.join(""));
  }
  return out;
}
