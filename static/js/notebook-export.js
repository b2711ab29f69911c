// The notebook's export (issue 29, item 5), made on the phone and saved by her
// browser as a download: nothing is sent. A ZIP holds the original files byte for
// byte, manifest.json (every entry and file, with hashes, times and timestamps) and
// summary.html, the printable summary drawn by summarize() into the page.
//
// The ZIP is made by client-zip (static/vendor/client-zip-2.5.1/, the npm package's
// own index.js; tests/notebook/test_views.py checks it byte for byte): 6.5 KB, kept
// by its author since 2020, with no dependencies. It only stores (photos and videos
// are compressed already) and streams, so a long video is not copied into a second
// buffer to be deflated. JSZip (95 KB) and fflate (30 KB) compress too, which here
// would cost size and time for nothing. It is imported only when she exports.
//
// With `trackerUrl` (takedown-store.js's), the export also holds the takedown kit's
// tracker: takedown-tracker.json (every record) and takedown-tracker.csv (a table any
// spreadsheet opens, its headers and states in her language). The notebook's
// passphrase does not lock the tracker (the kit's page says so), so it is exported as
// it is kept. The store is imported by its URL, so it is not precached with the
// notebook (the worker keeps it with the kit).

const FORMAT = "spotcheck-notebook-export-v1";
const TEXT = ["found", "place", "happened", "toldVenue", "toldPolice", "toldOthers", "region",
  "policeNumber", "askedFor", "links"];

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

// A file's name in the ZIP: entry-<n>/<her file's name>, made safe and unique.
function pathFor(n, name, taken) {
  const safe = (name || "file").replace(/[\u0000-\u001f/\\:*?"<>|]/g, "_").replace(/^\.+/, "_").slice(0, 120);
  let path = `entry-${n}/${safe}`;
  for (let i = 2; taken.has(path); i += 1) path = `entry-${n}/${i}-${safe}`;
  taken.add(path);
  return path;
}

// The ZIP's layout and manifest.json for these entries (oldest first, numbered).
export function plan(entries, exported = new Date().toISOString()) {
  const taken = new Set(["manifest.json", "summary.html"]);
  const files = [];
  const manifest = {
    format: FORMAT, exported, made_by: "SpotCheck evidence notebook, on her phone",
    hash: "SHA-256 of the file's bytes, made when it was added; the file in this ZIP is those bytes",
    timestamp: "SpotCheck's Ed25519 signature over \"spotcheck-timestamp-v1 <sha256> <time>\"; key_id is the first 16 hex digits of the SHA-256 of public_key (docs/timestamps.md)",
    entries: entries.map((entry, i) => ({
      number: i + 1, id: entry.id, recorded: entry.recorded, changed: entry.changed, zone: entry.zone,
      ...Object.fromEntries(TEXT.map((k) => [k, entry[k] || ""])),
      location: entry.location || null,
      files: entry.files.map((meta) => {
        const path = pathFor(i + 1, meta.name, taken);
        files.push({ path, meta });
        return { path, name: meta.name, size: meta.size, type: meta.type, sha256: meta.sha256,
          added: meta.added, last_modified: meta.lastModified ? new Date(meta.lastModified).toISOString() : null,
          timestamp: meta.timestamp || null };
      }),
    })),
  };
  return { manifest, files };
}

// The printable summary, into `target`: her language, and English beside it.
export function summarize(target, entries, labels, lang) {
  const columns = [[lang, labels.here]];
  if (!lang.startsWith("en")) columns.push(["en", labels.en]);
  const made = new Date();
  target.replaceChildren(...columns.map(([code, l]) => {
    const when = (value) => {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value || ""
        : `${date.toLocaleString(code, { dateStyle: "long", timeStyle: "short" })} (${date.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
    };
    const row = (label, value) => (value ? [el("dt", {}, label), el("dd", {}, value)] : []);
    return el("article", { lang: code, class: "nb-summary-copy" },
      el("h1", {}, l.title),
      el("p", {}, fill(l.intro, { time: when(made.toISOString()) })),
      ...entries.map((entry, i) => el("section", { class: "nb-summary-entry" },
        el("h2", {}, fill(l.entry, { n: i + 1 })),
        el("dl", {},
          ...row(l.recorded, when(entry.recorded)),
          ...row(l.happened, entry.happened && when(entry.happened)),
          ...row(l.found, entry.found),
          ...row(l.place, entry.place),
          ...row(l.location, entry.location && `${entry.location.latitude.toFixed(5)}, ${entry.location.longitude.toFixed(5)} (± ${Math.round(entry.location.accuracy)} m)`),
          ...row(l.toldVenue, entry.toldVenue),
          ...row(l.toldPolice, entry.toldPolice),
          ...row(l.toldOthers, entry.toldOthers),
          ...row(l.region, entry.region),
          ...row(l.policeNumber, entry.policeNumber),
          ...row(l.askedFor, entry.askedFor),
          ...row(l.links, entry.links)),
        el("h3", {}, l.files),
        el("ul", {}, ...entry.files.map((meta) => el("li", {},
          el("strong", {}, meta.name), ` · ${meta.size} B${meta.type ? ` · ${meta.type}` : ""}`,
          el("br"), `${l.added} ${when(meta.added)}`,
          el("br"), "SHA-256: ", el("code", { translate: "no" }, meta.sha256),
          ...(meta.timestamp ? [el("br"), `${l.timestamp} ${when(meta.timestamp.time)} · ${l.key} `,
            el("code", { translate: "no" }, meta.timestamp.key_id)] : [])))))));
  }));
}

// summary.html: the drawn summary as a page of its own, with its few styles.
function summaryPage(target, lang, title) {
  const style = "body{font:11pt/1.4 sans-serif;margin:1.5em}article{margin-bottom:2em}dt{font-weight:700}"
    + "dd{margin:0 0 .5em;white-space:pre-wrap}code{word-break:break-all}"
    + "@media print{@page{margin:15mm}body{margin:0}}";
  const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width"><title></title><style>${style}</style>`;
  const page = document.implementation.createHTMLDocument("");
  page.documentElement.lang = lang;
  page.head.innerHTML = head;
  page.title = title;
  page.body.innerHTML = target.innerHTML;
  return `<!doctype html>\n${page.documentElement.outerHTML}\n`;
}

const TRACKER_FORMAT = "spotcheck-takedown-tracker-v1";
const TRACKER_COLUMNS = ["link", "where", "destination", "reported", "state", "checkAgain", "changed"];

// A CSV cell: quoted, quotes doubled; a leading = + - @ made text, so no
// spreadsheet runs a link someone crafted as a formula.
const cell = (value) => {
  const text = String(value ?? "");
  return `"${(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
};

// The tracker's two files, or one that says why it could not be read. `words`, in
// her language: the headers and states by key, and `unreadable` ("… {reason}").
export async function trackerFiles(exported, trackerUrl, words = {}, lang = "en") {
  const word = (key) => words[key] || key;
  let store;
  try {
    store = await import(trackerUrl);
  } catch {
    return []; // offline, and the kit not kept: the worker keeps it while the tracker holds a link
  }
  let links;
  try {
    links = await store.listLinks();
  } catch (error) {
    const reason = error && error.name ? error.name : String(error);
    return [{ name: "takedown-tracker-unreadable.txt",
      input: `\ufeff${fill(words.unreadable || "Tracker unreadable: {reason}", { reason })}\r\n` }];
  }
  if (!links.length) return [];
  const states = { sent: word("sent"), removed: word("removed"), back: word("back") };
  const rows = [TRACKER_COLUMNS.map(word),
    ...links.map((r) => TRACKER_COLUMNS.map((k) => (k === "state" ? word(r.state) : r[k])))];
  return [
    { name: "takedown-tracker.json", input: JSON.stringify({ format: TRACKER_FORMAT, exported,
      states: { sent: "sent", removed: "removed", back: "back again" }, language: lang, state_labels: states,
      links }, null, 2) },
    { name: "takedown-tracker.csv", input: `\ufeff${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n` },
  ];
}

// Makes the ZIP and hands it to her browser to save. `bytesOf(meta)` gives a
// file's bytes (from the store, or the entry on screen where storage failed).
export async function download({ entries, bytesOf, summary, lang, title, zipUrl, trackerUrl = null, trackerWords = {} }) {
  const { downloadZip } = await import(zipUrl);
  const { manifest, files } = plan(entries);
  const now = new Date();
  const extra = trackerUrl ? await trackerFiles(now.toISOString(), trackerUrl, trackerWords, lang) : [];
  async function* items() {
    yield { name: "manifest.json", lastModified: now, input: JSON.stringify(manifest, null, 2) };
    yield { name: "summary.html", lastModified: now, input: summaryPage(summary, lang, title) };
    for (const file of extra) yield { ...file, lastModified: now };
    for (const { path, meta } of files) {
      yield { name: path, lastModified: new Date(meta.lastModified || now), input: new Uint8Array(await bytesOf(meta)) };
    }
  }
  const blob = await downloadZip(items()).blob();
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `notebook-${now.toISOString().slice(0, 10)}.zip`, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return blob;
}
