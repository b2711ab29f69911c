// The takedown tracker's storage: one record per link she asked a place to remove,
// in IndexedDB, on this phone only. Nothing here sends anything anywhere.
//
// One object store, "links", keyed by `id`:
//   { id, link, destination, where, reported, state, checkAgain, changed }
// destination: a takedown destination's key (app/content/takedown/), or "" for
// somewhere else; where: its name as her page showed it (so an export reads on its
// own); reported and checkAgain: YYYY-MM-DD; state: "sent", "removed" or "back";
// changed: an ISO time. Plain data only (no Blobs: WebKit's private sessions refuse
// them). Every function returns a promise that rejects with the browser's error
// (QuotaExceededError, InvalidStateError, ...): the page shows it, never swallows it.
//
// The service worker keeps the kit's page for offline use while the tracker holds
// a link, and drops it when the tracker is emptied (templates/pwa/sw.js): the
// tracker itself already says she used the kit, so the cache says nothing more.

const DB = "spotcheck-takedown";
const LINKS = "links";
export const STATES = ["sent", "removed", "back"];

function openDb() {
  return new Promise((resolve, reject) => {
    let open;
    try {
      open = window.indexedDB.open(DB, 1);
    } catch (error) {
      reject(error); // no IndexedDB, or one that throws (some private modes)
      return;
    }
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(LINKS)) open.result.createObjectStore(LINKS, { keyPath: "id" });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error("tracker storage blocked"));
  });
}

// Runs `action(store)` in one transaction; resolves with its request's result once committed.
async function run(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction([LINKS], mode);
      let request;
      try {
        request = action(tx.objectStore(LINKS));
      } catch (error) {
        tx.abort();
        reject(error);
        return;
      }
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("tracker write aborted"));
    });
  } finally {
    db.close();
  }
}

// A new id: random, so it says nothing about when or in which order.
export const newId = () => [...crypto.getRandomValues(new Uint8Array(12))]
  .map((b) => b.toString(16).padStart(2, "0")).join("");

// The page's language, for the worker: /<lang>/takedown.
const pageLanguage = () => window.location.pathname.split("/")[1] || "";

// Tells the service worker whether to keep the kit for offline use: it keeps this
// language's kit while the tracker holds a link, and drops every language's when it
// is empty. Every worker of the site hears it, the active one and one waiting to
// take over after a deploy, as each keeps its own cache. No worker (first visit,
// blocked, unsupported): nothing to tell.
export async function tellWorker(count) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return;
  const message = count > 0 ? { type: "KEEP_KIT", lang: pageLanguage() } : { type: "DROP_KIT" };
  for (const worker of [registration.active, registration.waiting, registration.installing]) {
    if (worker) worker.postMessage(message);
  }
}

async function changed() {
  const count = await run("readonly", (s) => s.count());
  tellWorker(count).catch(() => {}); // the offline copy is a convenience; the tracker is kept
  return count;
}

// Every link, the most recently reported first.
export async function listLinks() {
  const all = await run("readonly", (s) => s.getAll());
  return all.sort((a, b) => (b.reported || "").localeCompare(a.reported || "") ||
    (b.changed || "").localeCompare(a.changed || ""));
}

export const countLinks = () => run("readonly", (s) => s.count());

function checked(record) {
  for (const key of ["id", "link", "reported", "state"]) {
    if (typeof record[key] !== "string" || !record[key]) throw new TypeError(`a tracked link needs ${key}`);
  }
  if (!STATES.includes(record.state)) throw new TypeError(`unknown state ${record.state}`);
  return { ...record, changed: new Date().toISOString() };
}

// Keeps these records (new or changed) in one transaction: all of them or none.
export async function putLinks(records) {
  const kept = records.map(checked);
  await run("readwrite", (s) => {
    let last = null;
    for (const record of kept) last = s.put(record);
    return last;
  });
  await changed();
  return kept;
}

export async function deleteLink(id) {
  await run("readwrite", (s) => s.delete(id));
  await changed();
}

// Every link, gone.
export async function deleteAll() {
  await run("readwrite", (s) => s.clear());
  await changed();
}
