// The evidence notebook's storage: entries and their files, in IndexedDB, on this
// phone only. Nothing here touches the network.
//
// Three object stores, all keyed by `id`:
//   entries: { id, recorded, changed, ...what she wrote, files: [meta] }
//            where meta is { id, name, type, size, lastModified, added, sha256, timestamp? }
//   files:   { id, entryId, bytes }, bytes an ArrayBuffer of the file exactly as she
//            chose it (never a Blob: WebKit's private sessions refuse to store one).
//   meta:    { id: "lock", ... } while a passphrase is set (notebook-lock.js).
// Every function returns a promise; a refused or full storage rejects with the
// browser's error (QuotaExceededError, InvalidStateError, ...). The passphrase lock
// (notebook-lock.js) wraps this module: with a passphrase set, an entry record is
// { id, iv, data } and a file's { id, entryId, iv, bytes }, both ciphertext.

const DB = "spotcheck-notebook";
const ENTRIES = "entries";
const FILES = "files";
const META = "meta";

function openDb() {
  return new Promise((resolve, reject) => {
    let open;
    try {
      open = window.indexedDB.open(DB, 2);
    } catch (error) {
      reject(error); // no IndexedDB, or one that throws (some private modes)
      return;
    }
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: "id" });
      if (!db.objectStoreNames.contains(FILES)) {
        db.createObjectStore(FILES, { keyPath: "id" }).createIndex("entryId", "entryId");
      }
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "id" }); // version 2
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error("notebook storage blocked"));
  });
}

// Runs `action(stores)` in one transaction over `names`; resolves once it is committed.
async function run(names, mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(names, mode);
      const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
      let request;
      try {
        request = action(stores);
      } catch (error) {
        tx.abort();
        reject(error);
        return;
      }
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("notebook write aborted")); // e.g. quota
    });
  } finally {
    db.close();
  }
}

// A new id: random, so an id says nothing about when or in which order.
export function newId() {
  return [...crypto.getRandomValues(new Uint8Array(12))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Whether this browser will keep anything: writes and removes a small record.
// Rejects at once where it will not (private window, storage full or refused).
export async function check() {
  const probe = { id: "probe", entryId: "", bytes: new ArrayBuffer(8) };
  await run([FILES], "readwrite", (s) => s[FILES].put(probe));
  await run([FILES], "readwrite", (s) => s[FILES].delete(probe.id));
}

// Every entry, the most recently recorded first.
export async function listEntries() {
  const all = await run([ENTRIES], "readonly", (s) => s[ENTRIES].getAll());
  return all.sort((a, b) => (b.recorded || "").localeCompare(a.recorded || ""));
}

export const getEntry = (id) => run([ENTRIES], "readonly", (s) => s[ENTRIES].get(id));

// Keeps the entry, with the bytes of the files added to it (`add`: [{ id, bytes, iv? }])
// and without those removed (`remove`: [id]), in one transaction: an entry never
// names a file whose bytes are missing.
export function putEntry(entry, { add = [], remove = [] } = {}) {
  for (const file of add) {
    if (!(file.bytes instanceof ArrayBuffer)) throw new TypeError("a file is kept as an ArrayBuffer");
  }
  return run([ENTRIES, FILES], "readwrite", (s) => {
    for (const file of add) s[FILES].put({ ...file, entryId: entry.id });
    for (const id of remove) s[FILES].delete(id);
    return s[ENTRIES].put(entry);
  });
}

// The entry and all of its files, in one transaction.
export function deleteEntry(id) {
  return run([ENTRIES, FILES], "readwrite", (s) => {
    s[ENTRIES].delete(id);
    s[FILES].index("entryId").openKeyCursor(IDBKeyRange.only(id)).onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      s[FILES].delete(cursor.primaryKey);
      cursor.continue();
    };
  });
}

// A file's bytes: { id, entryId, bytes } with bytes an ArrayBuffer.
export function putFile(id, entryId, bytes) {
  if (!(bytes instanceof ArrayBuffer)) throw new TypeError("a file is kept as an ArrayBuffer");
  return run([FILES], "readwrite", (s) => s[FILES].put({ id, entryId, bytes }));
}

export const getFile = (id) => run([FILES], "readonly", (s) => s[FILES].get(id));

export const deleteFile = (id) => run([FILES], "readwrite", (s) => s[FILES].delete(id));

// The ids of the files kept for an entry.
export const listFiles = (entryId) =>
  run([FILES], "readonly", (s) => s[FILES].index("entryId").getAllKeys(IDBKeyRange.only(entryId)));

// Every entry and file, gone, and the passphrase with them (none is needed for this).
export const deleteEverything = () =>
  run([ENTRIES, FILES, META], "readwrite", (s) => {
    s[ENTRIES].clear();
    s[FILES].clear();
    s[META].clear();
  });

// For the lock: its record, every raw record, and all of them replaced at once.
export const getMeta = (id) => run([META], "readonly", (s) => s[META].get(id));
export const allRecords = () => run([ENTRIES, FILES], "readonly", (s) => {
  const entries = s[ENTRIES].getAll();
  const files = s[FILES].getAll();
  return { get result() { return { entries: entries.result, files: files.result }; } };
});

// One transaction: every record rewritten and the lock record put (or, null,
// deleted). IndexedDB commits a transaction whole or not at all, so a tab closed
// midway leaves the old records and the old lock, still matching each other.
export const replaceAll = ({ entries, files }, lock) =>
  run([ENTRIES, FILES, META], "readwrite", (s) => {
    for (const entry of entries) s[ENTRIES].put(entry);
    for (const file of files) s[FILES].put(file);
    if (lock) s[META].put(lock);
    else s[META].delete("lock");
  });
