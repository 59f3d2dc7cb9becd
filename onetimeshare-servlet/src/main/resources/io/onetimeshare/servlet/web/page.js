// What every page shares (issue 24): its language (message catalogs under i18n/, chosen by the server from
// Accept-Language, changeable by a picker that remembers the choice in this browser), numbers, sizes, dates and
// durations formatted by Intl in that language, the operator's branding, and copy buttons that confirm what they did
// where a screen reader hears it too. No string a person reads is written in a page's script: they are catalog keys.
export const LANGUAGES = {
  en: "English", de: "Deutsch", fr: "Français", es: "Español", it: "Italiano", pt: "Português", nl: "Nederlands",
  pl: "Polski", uk: "Українська", tr: "Türkçe", ar: "العربية", ja: "日本語", zh: "中文（简体）"
};
const RTL = new Set(["ar"]);
const STORED = "ots.lang";
let lang = "en";
let catalog = {};
let english = {};

async function load(code) {
  const res = await fetch(new URL("i18n/" + code + ".json", import.meta.url), { cache: "force-cache" });
  if (!res.ok) throw new Error("no catalog " + code);
  return res.json();
}

function chosen() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORED);
  } catch (e) {
    // storage blocked: the server's choice stands
  }
  if (stored && LANGUAGES[stored]) return stored;
  const served = document.documentElement.lang; // the server's pick from Accept-Language
  return LANGUAGES[served] ? served : "en";
}

/** The current language's code. */
/**
 * The anti-forgery header for requests that carry this site's cookies, when the host application keeps its CSRF token
 * in the XSRF-TOKEN cookie (Spring Security's single-page-application handling, issue 39); empty otherwise. A page of
 * another site cannot read this cookie, so it cannot send the header.
 */
export function csrfHeaders() {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? { "X-XSRF-TOKEN": decodeURIComponent(m[1]) } : {};
}

export function language() {
  return lang;
}

/** The message {@code key} with {@code {name}} placeholders filled from {@code params}. */
export function t(key, params = {}) {
  const text = catalog[key] ?? english[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Sets an element's text to a message; {@code **...**} in a message is shown strong (no HTML is ever parsed). */
export function setText(el, text) {
  el.textContent = "";
  const parts = text.split("**");
  parts.forEach((p, i) => {
    if (i % 2 === 1) {
      const s = document.createElement("strong");
      s.textContent = p;
      el.appendChild(s);
    } else if (p) {
      el.appendChild(document.createTextNode(p));
    }
  });
}

/** Shows message {@code key} in {@code el}, and again in the new language when the reader switches. */
export function put(el, key, params = null) {
  el.dataset.i18n = key;
  if (params) el.dataset.i18nParams = JSON.stringify(params); else delete el.dataset.i18nParams;
  setText(el, t(key, params || {}));
}

/** Shows a text that is not a catalog message (the server's own words) in {@code el}. */
export function putText(el, text) {
  delete el.dataset.i18n;
  delete el.dataset.i18nParams;
  el.textContent = text;
}

/** Translates every element marked {@code data-i18n} (its text) and {@code data-i18n-<attr>} (that attribute). */
export function translate(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    setText(el, t(el.dataset.i18n, el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : {}));
  }
  for (const attr of ["placeholder", "aria-label", "title"]) {
    const data = "data-i18n-" + attr;
    for (const el of root.querySelectorAll("[" + data + "]")) el.setAttribute(attr, t(el.getAttribute(data)));
  }
  for (const el of root.querySelectorAll("[data-duration]")) el.textContent = duration(Number(el.dataset.duration));
  const title = document.querySelector("title[data-i18n-page]");
  if (title) document.title = t(title.dataset.i18nPage, { name: brandName });
}

/** A byte count in the reader's language: "1.5 MB". */
export function size(bytes) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let u = 0;
  let v = bytes;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return new Intl.NumberFormat(lang, { style: "unit", unit: units[u], unitDisplay: u === 0 ? "long" : "short",
    maximumFractionDigits: u === 0 ? 0 : 1 }).format(v);
}

/** A moment, with date, time and the reader's time zone. */
export function dateTime(iso) {
  // dateStyle cannot be combined with timeZoneName, so the parts are named one by one
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric", hour: "numeric",
    minute: "2-digit", timeZoneName: "short" }).format(new Date(iso));
}

/** A duration in seconds as the reader says it: "10 minutes", "1 day". */
export function duration(seconds) {
  const [unit, n] = seconds % 86400 === 0 ? ["day", seconds / 86400] : seconds % 3600 === 0
    ? ["hour", seconds / 3600] : ["minute", Math.round(seconds / 60)];
  return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(n);
}

/** A number in the reader's digits. */
export function number(n) {
  return new Intl.NumberFormat(lang).format(n);
}

/** What an API error says, in the reader's language when its code is known, else the server's own words. */
export function apiError(body, fallbackKey) {
  const key = body && body.error ? "error." + body.error : null;
  if (key && (catalog[key] ?? english[key]) !== undefined) return t(key);
  return (body && body.message) || t(fallbackKey);
}

let brandName = "OneTimeShare";

async function brand() {
  let b;
  try {
    const res = await fetch(new URL("brand.json", import.meta.url), { cache: "no-cache" });
    if (!res.ok) return;
    b = await res.json();
  } catch (e) {
    return;
  }
  if (b.name) brandName = b.name;
  for (const el of document.querySelectorAll(".brand-name")) el.textContent = brandName;
  if (b.logo) {
    for (const slot of document.querySelectorAll(".brand-logo")) {
      const img = document.createElement("img");
      img.src = new URL(b.logo, import.meta.url).href;
      img.alt = "";
      img.className = "logo";
      slot.replaceChildren(img);
    }
  }
  const footer = document.getElementById("site-footer");
  if (footer && (b.notice || b.footerLinks?.length)) {
    if (b.notice) {
      const p = document.createElement("p");
      p.textContent = b.notice;
      footer.appendChild(p);
    }
    for (const l of b.footerLinks || []) {
      const a = document.createElement("a");
      a.href = l.url;
      a.textContent = l.label;
      a.rel = "noopener noreferrer";
      footer.appendChild(a);
    }
    footer.hidden = false;
  }
}

function picker() {
  const box = document.getElementById("lang-box");
  if (!box) return;
  const label = document.createElement("label");
  label.htmlFor = "lang";
  label.className = "sr-only";
  label.dataset.i18n = "common.language";
  const select = document.createElement("select");
  select.id = "lang";
  select.autocomplete = "off";
  for (const [code, name] of Object.entries(LANGUAGES)) {
    const o = document.createElement("option");
    o.value = code;
    o.lang = code;
    o.textContent = name;
    select.appendChild(o);
  }
  select.value = lang;
  select.addEventListener("change", async () => {
    try {
      localStorage.setItem(STORED, select.value);
    } catch (e) {
      // not remembered where storage is blocked; this page still switches
    }
    await use(select.value);
    document.dispatchEvent(new CustomEvent("ots:language"));
  });
  box.replaceChildren(label, select);
}

async function use(code) {
  catalog = code === "en" ? english : await load(code).catch(() => english);
  lang = catalog === english ? "en" : code;
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? "rtl" : "ltr";
  translate();
}

/** Announces {@code text} to screen readers (and shows it) in the page's status region. */
export function announce(text) {
  const live = document.getElementById("announcer");
  if (!live) return;
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 50);
}

/** A copy button: copies the value of {@code inputId}, says so on the button and to screen readers. */
export function copyButton(buttonId, inputId, doneKey = "common.copied") {
  const button = document.getElementById(buttonId);
  button.addEventListener("click", async () => {
    const value = document.getElementById(inputId).value;
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) {
      document.getElementById(inputId).select(); // no clipboard permission: selected for Ctrl+C
      announce(t("common.copyBySelect"));
      return;
    }
    button.dataset.i18n = doneKey;
    setText(button, t(doneKey));
    announce(t(doneKey));
    setTimeout(() => {
      button.dataset.i18n = "common.copy";
      setText(button, t("common.copy"));
    }, 4000);
  });
}

try {
  english = await load("en");
  catalog = english;
  picker();
  await use(chosen());
} catch (e) {
  // no catalog could be read: the pages' own English words stay, and t() falls back to the keys' English text
  english = {};
  catalog = english;
}
const branded = brand();

/** Resolves when the language and the branding are applied. */
export const ready = branded.then(() => translate());
