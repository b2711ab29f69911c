// The evidence notebook's page (templates/notebook/page.html): her entries, drawn
// from this phone's IndexedDB (notebook-store.js), and the one to write or change.
//
// Nothing leaves the phone but one thing, on her tap: "Get a timestamp" sends that
// file's SHA-256, and only that, to SpotCheck (docs/timestamps.md), then checks the
// signed answer here with the published key. Files are kept byte for byte as she
// chose them; each one's SHA-256 is made as she adds it. Words come from the page's
// data-t-* attributes, already in her language. With a passphrase set, the store is
// encrypted (notebook-lock.js) and the page locks after data-lock-after seconds
// without a touch or a key (300: time to write a long note or look something up,
// short enough that a phone left open or handed over soon closes the notebook).
import * as store from "./notebook-lock.js";
import { read, write } from "./storage.js";

const FORMAT = "spotcheck-timestamp-v1";
const root = document.querySelector("[data-nb]");
const $ = (selector, within = document) => within.querySelector(selector);

// The page's words: data-t-stamped="… {time} …" and t("stamped", { time }).
const t = (name, values = {}) => {
  const key = "t" + name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
  return (root.dataset[key] || "").replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
};
const lang = document.documentElement.lang;
const when = (value) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value
    : date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
};
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
// 64 hex digits as 16 groups of 4: easier to read out and compare by eye.
const groups = (hash) => hash.match(/.{1,4}/g).join(" ");
const size = (bytes) => (bytes < 1e6 ? `${Math.ceil(bytes / 1e3)} KB` : `${(bytes / 1e6).toFixed(1)} MB`);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function say(where, text) {
  where.textContent = text;
}

// Her signed timestamp, checked here: true (valid), false (not valid), or null
// where this browser's WebCrypto has no Ed25519 (kept, to be checked later).
async function verify(answer, key) {
  const raw = fromBase64(key.public_key);
  let publicKey;
  try {
    publicKey = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return null;
  }
  if ((await sha256(raw)).slice(0, 16) !== answer.key_id) return false;
  const message = new TextEncoder().encode(`${FORMAT} ${answer.sha256} ${answer.time}`);
  try {
    return await crypto.subtle.verify({ name: "Ed25519" }, publicKey, fromBase64(answer.signature), message);
  } catch {
    return false;
  }
}

if (root) {
  const list = $("[data-nb-list]");
  const empty = $("[data-nb-empty]");
  const status = $("[data-nb-status]");
  const entryView = $("[data-nb-entry]");
  const entryStatus = $("[data-nb-entry-status]");
  const fileList = $("[data-nb-file-list]");
  const fields = [...entryView.querySelectorAll("[data-nb-field]")];
  const region = $("[data-nb-region]");
  const location = $("[data-nb-location]");
  const unlocate = $("[data-nb-unlocate]");
  const remove = $("[data-nb-delete]");

  let entry = null; // the entry open now
  let added = new Map(); // id -> bytes of files added since it was last saved
  let removed = new Set(); // ids of saved files she removed
  let dirty = false;
  let publishedKey = null;

  const lockedView = $("[data-nb-locked]");
  const summaryView = $("[data-nb-summary]");
  const lockStatus = $("[data-nb-lock-status]");
  const passStatus = $("[data-nb-pass-status]");
  let storageFailed = false;

  const failed = () => {
    storageFailed = true;
    $("[data-nb-failed]").hidden = false;
    root.hidden = false; // she may still write an entry and export it
    for (const hide of ["[data-nb-lock-settings]", "[data-nb-delete-all]", "[data-nb-export-all]"]) $(hide).hidden = true;
  };

  const views = [root, entryView, lockedView, summaryView];
  const showOnly = (view) => {
    for (const v of views) v.hidden = v !== view;
  };

  // The lock: the page forgets the key and everything it showed.
  let idle = null;
  let lastTouch = Date.now();
  const restartIdle = () => {
    clearTimeout(idle);
    lastTouch = Date.now();
    idle = setTimeout(() => lockNow(), Number(root.dataset.lockAfter) * 1000);
  };
  // A phone asleep or a tab in the background may hold timers back: on coming back,
  // the time since her last touch decides.
  document.addEventListener("visibilitychange", () => {
    if (idle && !document.hidden && Date.now() - lastTouch >= Number(root.dataset.lockAfter) * 1000) lockNow();
  });
  async function lockNow() {
    clearTimeout(idle);
    if (!(await store.hasPassphrase()) || (await store.isLocked())) return;
    if (entry && dirty) await save(); // kept, encrypted, rather than lost
    entry = null;
    store.lock();
    list.replaceChildren();
    fileList.replaceChildren();
    for (const field of fields) field.value = "";
    summaryView.querySelector("[data-nb-summary-body]").replaceChildren();
    showOnly(lockedView);
    say(lockStatus, t("locked"));
    $("#nb-locked-title").focus();
  }
  async function showLockState() {
    const set = await store.hasPassphrase();
    $("[data-nb-lock-now]").hidden = !set;
    $("[data-nb-pass-remove]").hidden = !set;
    if (set) restartIdle();
  }
  for (const type of ["pointerdown", "keydown", "input"]) {
    document.addEventListener(type, () => {
      if (idle) restartIdle();
    }, { passive: true });
  }
  $("[data-nb-lock-now]").addEventListener("click", lockNow);
  $("[data-nb-unlock]").addEventListener("click", async () => {
    const input = $("[data-nb-unlock-input]");
    say(lockStatus, t("checking"));
    if (!(await store.unlock(input.value))) {
      say(lockStatus, t("wrong"));
      input.select();
      return;
    }
    input.value = "";
    say(lockStatus, "");
    showOnly(root);
    await showList();
    await showLockState();
    $("[data-nb-new]").focus();
  });
  $("[data-nb-unlock-input]").addEventListener("keydown", (event) => {
    if (event.key === "Enter") $("[data-nb-unlock]").click();
  });
  async function changePassphrase(passphrase) {
    say(passStatus, t("encrypting"));
    try {
      await store.setPassphrase(passphrase);
    } catch {
      say(passStatus, t("pass-failed"));
      return;
    }
    $("[data-nb-pass]").value = "";
    $("[data-nb-pass-again]").value = "";
    say(passStatus, t(passphrase ? "encrypted" : "decrypted"));
    if (!passphrase) {
      clearTimeout(idle);
      idle = null;
    }
    await showLockState();
  }
  $("[data-nb-pass-set]").addEventListener("click", () => {
    const passphrase = $("[data-nb-pass]").value;
    if (!passphrase || passphrase !== $("[data-nb-pass-again]").value) return say(passStatus, t("mismatch"));
    changePassphrase(passphrase);
  });
  $("[data-nb-pass-remove]").addEventListener("click", () => changePassphrase(null));

  // The export: every entry from the store, or the one on screen with its files.
  // The fields' own labels on this page, and the summary's other words (views.py).
  const here = Object.fromEntries(fields.map((field) =>
    [field.dataset.nbField, $(`label[for="${field.id}"]`).textContent.trim()]));
  Object.assign(here, JSON.parse(summaryView.dataset.labels));
  const labels = { here, en: summaryView.dataset.labelsEn ? JSON.parse(summaryView.dataset.labelsEn) : here };
  const body = $("[data-nb-summary-body]");
  // The tracker's export words by key: data-tr-check-again is checkAgain.
  const trackerWords = Object.fromEntries(Object.entries(root.dataset).filter(([k]) => /^tr[A-Z]/.test(k))
    .map(([k, v]) => [k[2].toLowerCase() + k.slice(3), v]));
  // Loaded only when she exports or prints (precached all the same, for offline).
  const exporter = () => import("./notebook-export.js");
  const bytesFromStore = async (meta) => (await store.getFile(meta.id)).bytes;
  // `tracker`: the takedown kit's tracker goes in too (the whole notebook's export).
  async function exportZip(entries, bytesOf, where, tracker = false) {
    say(where, t("zipping"));
    try {
      const { download, summarize } = await exporter();
      summarize(body, named(entries), labels, lang);
      await download({ entries, bytesOf, summary: body, lang, title: labels.here.title, zipUrl: root.dataset.zipUrl,
        trackerUrl: tracker ? root.dataset.trackerUrl : null, trackerWords });
      say(where, t("zipped"));
    } catch {
      say(where, t("zip-failed"));
    }
  }
  // The summary names her region (in her language), with its code for any reader.
  const named = (entries) => entries.map((e) => {
    const option = e.region && region.querySelector(`option[value="${CSS.escape(e.region)}"]`);
    return option ? { ...e, region: `${option.textContent} (${e.region})` } : e;
  });
  const oldestFirst = async () => (await store.listEntries()).reverse();
  $("[data-nb-export-all]").addEventListener("click", async () =>
    exportZip(storageFailed ? [] : await oldestFirst(), bytesFromStore, status, !storageFailed));
  $("[data-nb-export]").addEventListener("click", () => {
    const shown = { ...entry, files: [...entry.files] };
    for (const field of fields) shown[field.dataset.nbField] = field.value.trim();
    exportZip([shown], async (meta) => added.get(meta.id) || bytesFromStore(meta), entryStatus);
  });
  // "Report this place anonymously": the report form, filled in with a shrunk,
  // stripped copy of the entry's first photo (shrink.js, as the form's own) and her
  // location rounded to ~100 m, as the form rounds it. Handed over in this tab's
  // sessionStorage, which the form's script (new-report.js) reads once and deletes:
  // nothing in a URL, nothing sent until she presses Send on the form.
  $("[data-nb-report]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    const handover = {};
    if (entry.location) {
      handover.latitude = entry.location.latitude.toFixed(3);
      handover.longitude = entry.location.longitude.toFixed(3);
    }
    const day = $("#nb-happened").value.slice(0, 10);
    if (day) handover.observed_on = day;
    const meta = entry.files.find((f) => /^image\//.test(f.type));
    if (meta) {
      const { preparePhoto } = await import("./shrink.js");
      const original = new File([added.get(meta.id) || await bytesFromStore(meta)], meta.name, { type: meta.type });
      const copy = await preparePhoto(original);
      if (copy !== original) { // the original itself when it could not be shrunk: never that
        const bytes = new Uint8Array(await copy.arrayBuffer());
        let text = "";
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        handover.photo = { name: copy.name, type: copy.type, base64: btoa(text) };
      }
    }
    try {
      sessionStorage.setItem("spotcheck-report-handover", JSON.stringify(handover));
    } catch {
      delete handover.photo; // too big for this browser's storage: the place alone
      sessionStorage.setItem("spotcheck-report-handover", JSON.stringify(handover));
    }
    button.disabled = false;
    window.location.assign(button.dataset.reportUrl);
  });
  $("[data-nb-summary-open]").addEventListener("click", async () => {
    (await exporter()).summarize(body, named(storageFailed ? [] : await oldestFirst()), labels, lang);
    showOnly(summaryView);
    summaryView.querySelector("button").focus();
  });
  $("[data-nb-print]").addEventListener("click", () => window.print());
  $("[data-nb-summary-close]").addEventListener("click", () => {
    body.replaceChildren();
    showOnly(root);
    $("[data-nb-summary-open]").focus();
  });

  async function showList() {
    const entries = storageFailed ? [] : await store.listEntries();
    list.replaceChildren(...entries.map((e) => {
      const title = (e.found || "").trim().split("\n")[0].slice(0, 80) || t("untitled");
      const facts = [when(e.happened || e.recorded), e.place, t("files", { count: e.files.length })];
      const open = el("button", { type: "button", class: "button button-quiet", "data-nb-open": e.id }, t("open"));
      return el("li", {}, el("h3", {}, title), open,
        el("p", { class: "note" }, facts.filter(Boolean).join(" · ")));
    }));
    empty.hidden = entries.length > 0;
  }

  // What to ask the police for in her region, from that region's card on the found
  // page: precached with this one, so offline it comes from the worker's cache. The
  // request names no region and carries nothing of hers.
  const ask = $("[data-nb-ask]");
  let asks = null;
  const loadAsks = async () => {
    const response = await fetch(root.dataset.foundUrl, { credentials: "omit" });
    const found = new DOMParser().parseFromString(await response.text(), "text/html");
    return Object.fromEntries([...found.querySelectorAll(".region-card [data-ask]")]
      .map((dd) => [dd.closest(".region-card").dataset.region, dd.textContent]));
  };
  async function showAsk() {
    const code = region.value;
    ask.hidden = true;
    if (!code) return;
    asks = asks || loadAsks().catch(() => {
      asks = null; // asked again next time
      return {};
    });
    const what = (await asks)[code];
    if (what && region.value === code) {
      say(ask, t("ask", { what }));
      ask.dataset.nbAsk = code;
      ask.hidden = false;
    }
  }

  function showLocation() {
    const at = entry.location;
    say(location, at ? t("located", { lat: at.latitude.toFixed(5), lon: at.longitude.toFixed(5),
      metres: Math.round(at.accuracy) }) : "");
    unlocate.hidden = !at;
  }

  function stampText(stamp) {
    const time = t("stamped", { time: when(stamp.time), utc: stamp.time.replace("T", " ").replace("Z", "") });
    const verdict = { true: "verified", false: "bad", null: "unverified" }[String(stamp.verified)];
    return `${time} ${t(verdict)}`;
  }

  function fileItem(meta) {
    const result = el("p", { role: "status", "data-nb-stamp-result": "" }, meta.timestamp ? stampText(meta.timestamp) : "");
    const stamp = el("button", { type: "button", class: "button button-quiet", "data-nb-stamp": "" }, t("stamp"));
    stamp.hidden = Boolean(meta.timestamp && meta.timestamp.verified !== false);
    stamp.addEventListener("click", () => getTimestamp(meta, stamp, result));
    const drop = el("button", { type: "button", class: "button button-quiet", "data-nb-remove-file": "" }, t("remove-file"));
    drop.addEventListener("click", () => {
      entry.files = entry.files.filter((f) => f !== meta);
      if (added.has(meta.id)) added.delete(meta.id);
      else removed.add(meta.id);
      dirty = true;
      item.remove();
    });
    const item = el("li", { "data-nb-file": meta.id },
      el("p", {}, el("strong", {}, meta.name), ` · ${size(meta.size)}${meta.type ? ` · ${meta.type}` : ""}`),
      el("p", {}, t("hash"), el("code", { class: "nb-hash", "data-sha256": meta.sha256, translate: "no" }, groups(meta.sha256))),
      stamp, result, drop);
    return item;
  }

  async function getTimestamp(meta, button, result) {
    button.disabled = true;
    say(result, t("stamping"));
    try {
      const response = await fetch(root.dataset.stampUrl, {
        method: "POST", cache: "no-store", credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sha256: meta.sha256 }),
      });
      const answer = await response.json();
      if (!response.ok) {
        say(result, t("refused", { reason: answer.message || response.status }));
        return;
      }
      if (answer.sha256 !== meta.sha256 || answer.format !== FORMAT) throw new Error("not this file's timestamp");
      if (!publishedKey || publishedKey.key_id !== answer.key_id) {
        publishedKey = await (await fetch(root.dataset.keyUrl, { credentials: "omit" })).json();
      }
      const verified = await verify(answer, publishedKey);
      meta.timestamp = { format: answer.format, sha256: answer.sha256, time: answer.time,
        signature: answer.signature, key_id: answer.key_id, public_key: publishedKey.public_key, verified };
      dirty = true;
      say(result, stampText(meta.timestamp));
      button.hidden = verified !== false;
    } catch (error) {
      say(result, error instanceof TypeError ? t("offline") : t("refused", { reason: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  async function addFiles(input) {
    for (const file of [...input.files]) {
      say(entryStatus, t("adding"));
      const bytes = await file.arrayBuffer(); // exactly as she chose it: never shrunk
      const meta = { id: store.newId(), name: file.name, type: file.type, size: file.size,
        lastModified: file.lastModified, added: new Date().toISOString(), sha256: await sha256(bytes) };
      added.set(meta.id, bytes);
      entry.files.push(meta);
      fileList.append(fileItem(meta));
      dirty = true;
    }
    say(entryStatus, "");
    input.value = ""; // the same file may be chosen again
  }

  function open(chosen) {
    const fresh = !chosen;
    entry = chosen || { id: store.newId(), recorded: new Date().toISOString(), files: [],
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
    added = new Map();
    removed = new Set();
    dirty = false;
    for (const field of fields) field.value = entry[field.dataset.nbField] || "";
    if (fresh && read("region") && region.querySelector(`option[value="${CSS.escape(read("region"))}"]`)) {
      region.value = read("region");
    }
    showAsk();
    showLocation();
    say($("[data-nb-entry-title]"), t(fresh ? "new" : "edit"));
    say($("[data-nb-recorded]"), t("recorded", { time: when(entry.recorded) }));
    fileList.replaceChildren(...entry.files.map(fileItem));
    say(entryStatus, "");
    remove.hidden = fresh;
    showOnly(entryView);
    $("[data-nb-entry-title]").focus();
  }

  async function close() {
    entry = null;
    showOnly(root);
    await showList();
    $("[data-nb-new]").focus();
  }

  async function save() {
    say(entryStatus, ""); // "Saved" again only once this save is kept
    for (const field of fields) entry[field.dataset.nbField] = field.value.trim();
    entry.changed = new Date().toISOString();
    try {
      await store.putEntry(entry, { add: [...added].map(([id, bytes]) => ({ id, bytes })), remove: [...removed] });
    } catch {
      say(entryStatus, t("save-failed"));
      return;
    }
    added = new Map();
    removed = new Set();
    dirty = false;
    remove.hidden = false;
    say($("[data-nb-entry-title]"), t("edit"));
    say(entryStatus, t("saved"));
  }

  entryView.addEventListener("input", (event) => {
    if (event.target.matches("[data-nb-field]")) dirty = true;
  });
  region.addEventListener("change", () => {
    showAsk();
    if (region.value) write("region", region.value); // as the found page's choice
  });
  $("[data-nb-files]").addEventListener("change", (event) => addFiles(event.target).catch(() => say(entryStatus, t("save-failed"))));
  $("[data-nb-locate]").addEventListener("click", () => {
    if (!navigator.geolocation) return say(location, t("no-location"));
    say(location, t("locating"));
    navigator.geolocation.getCurrentPosition((position) => {
      const { latitude, longitude, accuracy } = position.coords;
      entry.location = { latitude, longitude, accuracy, at: new Date(position.timestamp).toISOString() };
      dirty = true;
      showLocation();
    }, () => say(location, t("no-location")), { enableHighAccuracy: true, timeout: 30000 });
  });
  unlocate.addEventListener("click", () => {
    delete entry.location;
    dirty = true;
    showLocation();
  });
  $("[data-nb-save]").addEventListener("click", save);
  $("[data-nb-close]").addEventListener("click", () => {
    if (!dirty || window.confirm(t("confirm-leave"))) close();
  });
  remove.addEventListener("click", async () => {
    if (!window.confirm(t("confirm-delete"))) return;
    await store.deleteEntry(entry.id);
    await close();
    say(status, t("deleted"));
  });
  $("[data-nb-new]").addEventListener("click", () => open(null));
  list.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-nb-open]");
    if (button) open(await store.getEntry(button.dataset.nbOpen));
  });
  // Deleting everything offers to delete the takedown kit's tracker too (its links
  // are hers as much as the notebook is); a failure is said, never swallowed.
  // takedown-store.js by its URL, not precached with the notebook: the worker keeps
  // it with the kit while the tracker holds a link, and without one there is nothing to offer.
  async function offerToDeleteTracker() {
    let tracker;
    try {
      tracker = await import(root.dataset.trackerUrl);
    } catch {
      return; // offline, and the kit not kept: the tracker is empty
    }
    try {
      const count = await tracker.countLinks();
      if (count && window.confirm(t("confirm-delete-tracker", { count }))) await tracker.deleteAll();
    } catch {
      say(status, t("tracker-failed"));
    }
  }
  $("[data-nb-delete-all]").addEventListener("click", async () => {
    if (!window.confirm(t("confirm-delete-all"))) return;
    await store.deleteEverything();
    await offerToDeleteTracker();
    clearTimeout(idle);
    idle = null;
    showOnly(root);
    await showList();
    await showLockState();
    say(status, t("deleted"));
  });
  $("[data-nb-delete-all-locked]").addEventListener("click", () => $("[data-nb-delete-all]").click());

  $("[data-nb-nojs]").hidden = true;
  store.check().then(async () => {
    if (await store.isLocked()) {
      showOnly(lockedView);
      return;
    }
    root.hidden = false;
    await showList();
    await showLockState();
  }, failed);
}
