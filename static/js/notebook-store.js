// The evidence notebook's storage: entries and their files, in IndexedDB, on this
// phone only. Nothing here touches the network.
//
// Two object stores, both keyed by `id`:
//   entries: { id, recorded, changed, ...what she wrote, files: [meta] }
//            where meta is { id, name, type, size, lastModified, added, sha256, timestamp? }
//   files:   { id, entryId, bytes }, bytes an ArrayBuffer of the file exactly as she
//            chose it (never a Blob: WebKit's private sessions refuse to store one).
// Every function returns a promise; a refused or full storage rejects with the
// browser's error (QuotaExceededError, InvalidStateError, ...). A passphrase lock
// (issue 29, item 4) can wrap putEntry/getEntry/listEntries and putFile/getFile:
// records are plain structured-clone values, with the bytes in one field.

const DB = "spotcheck-notebook";
const ENTRIES = "entries";
const FILES = "files";

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
      open.result.createObjectStore(ENTRIES, { keyPath: "id" });
      open.result.createObjectStore(FILES, { keyPath: "id" }).createIndex("entryId", "entryId");
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

// Keeps the entry, with the bytes of the files added to it (`add`: [{ id, bytes }])
// and without those removed (`remove`: [id]), in one transaction: an entry never
// names a file whose bytes are missing.
export function putEntry(entry, { add = [], remove = [] } = {}) {
  for (const file of add) {
    if (!(file.bytes instanceof ArrayBuffer)) throw new TypeError("a file is kept as an ArrayBuffer");
  }
  return run([ENTRIES, FILES], "readwrite", (s) => {
    for (const file of add) s[FILES].put({ id: file.id, entryId: entry.id, bytes: file.bytes });
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

// Every entry and file, gone.
export const deleteEverything = () =>
  run([ENTRIES, FILES], "readwrite", (s) => {
    s[ENTRIES].clear();
    s[FILES].clear();
  });
