// The notebook's optional passphrase (issue 29, item 4): the same functions as
// notebook-store.js, but while a passphrase is set, every entry and every file's
// bytes are kept encrypted, and only this page's memory holds the key while unlocked.
//
// AES-GCM with a 256-bit key derived from the passphrase by PBKDF2-SHA-256 with a
// random 16-byte salt; a fresh 12-byte iv per record, and the record's id as
// additional data, so a record cannot be swapped for another. A record then holds
// { id, iv, data } (an entry) or { id, entryId, iv, bytes } (a file): ids are random
// and say nothing. Nothing here touches the network.
import * as store from "./notebook-store.js";

// OWASP's current figure for PBKDF2-HMAC-SHA256. Measured: 600,000 iterations take
// 100-120 ms in Chromium's WebCrypto on this server's AMD EPYC core (2 cores, load
// about 8); a phone's core is some 3-6 times slower, so 0.3-0.7 s once per unlock,
// which she waits for when she types the passphrase, not while writing. Fewer would
// make guessing a copied database cheaper; more would make an old phone wait
// seconds. The count is kept with the salt, so it can be raised later.
const ITERATIONS = 600000;
const CHECK = "spotcheck-notebook-lock-v1"; // encrypted with the key: a wrong passphrase cannot decrypt it
const utf8 = new TextEncoder();

let key = null; // the CryptoKey while unlocked (not extractable); null otherwise
let lockRecord = null; // the stored lock record this page knows; null: no passphrase

async function derive(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", utf8.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base,
    { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function seal(withKey, id, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(id) }, withKey, bytes);
  return { iv, data };
}

const open = (withKey, id, iv, data) =>
  crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(id) }, withKey, data);

const sealEntry = async (withKey, entry) => {
  const { iv, data } = await seal(withKey, entry.id, utf8.encode(JSON.stringify(entry)));
  return { id: entry.id, iv, data };
};
const openEntry = async (record) => record && (key && record.iv
  ? JSON.parse(new TextDecoder().decode(await open(key, record.id, record.iv, record.data))) : record);
const sealFile = async (withKey, file) => {
  const { iv, data } = await seal(withKey, file.id, file.bytes);
  return { id: file.id, entryId: file.entryId, iv, bytes: data };
};
const openFile = async (withKey, record) => record && (withKey && record.iv
  ? { id: record.id, entryId: record.entryId, bytes: await open(withKey, record.id, record.iv, record.bytes) }
  : record);

// Whether a passphrase is set; whether the notebook is locked now. Read afresh each
// time: another tab may have set, changed or removed it, and then this page's key
// (if any) is not the one, so it is dropped rather than used to write.
const saltOf = (record) => (record ? new Uint8Array(record.salt).join() : "");
export async function hasPassphrase() {
  const stored = (await store.getMeta("lock")) || null;
  if (saltOf(stored) !== saltOf(lockRecord)) key = null;
  lockRecord = stored;
  return Boolean(lockRecord);
}
export const isLocked = async () => (await hasPassphrase()) && !key;

// Unlocks with her passphrase: true, or false when it is not the right one.
export async function unlock(passphrase) {
  if (!(await hasPassphrase())) return true;
  const candidate = await derive(passphrase, lockRecord.salt, lockRecord.iterations);
  try {
    await open(candidate, "lock", lockRecord.iv, lockRecord.check);
  } catch {
    return false;
  }
  key = candidate;
  return true;
}

// Forgets the key: nothing can be read until the passphrase is given again.
export function lock() {
  key = null;
}

// Sets, changes (passphrase) or removes (null) the passphrase: every record is
// read and decrypted, encrypted again under the new key (or kept plain), and all of
// them written back in one IndexedDB transaction together with the new lock record.
// The transaction commits whole or not at all, so a tab closed midway leaves every
// entry as it was, under the old passphrase. It holds the notebook in memory twice
// while it works, which a phone with many long videos may find heavy.
export async function setPassphrase(passphrase) {
  if (await isLocked()) throw new Error("locked");
  const { entries, files } = await store.allRecords();
  const plainEntries = await Promise.all(entries.map(openEntry));
  const plainFiles = await Promise.all(files.map((f) => openFile(key, f)));
  let newKey = null;
  let record = null;
  if (passphrase) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    newKey = await derive(passphrase, salt, ITERATIONS);
    const { iv, data } = await seal(newKey, "lock", utf8.encode(CHECK));
    record = { id: "lock", salt, iterations: ITERATIONS, iv, check: data };
  }
  await store.replaceAll({
    entries: newKey ? await Promise.all(plainEntries.map((e) => sealEntry(newKey, e))) : plainEntries,
    files: newKey ? await Promise.all(plainFiles.map((f) => sealFile(newKey, f))) : plainFiles,
  }, record);
  key = newKey;
  lockRecord = record;
}

export const { newId, check, deleteEntry, deleteFile, listFiles } = store;

export async function deleteEverything() {
  await store.deleteEverything(); // needs no passphrase: it only removes
  key = null;
  lockRecord = null;
}

export async function listEntries() {
  const all = await Promise.all((await store.listEntries()).map(openEntry));
  return all.sort((a, b) => (b.recorded || "").localeCompare(a.recorded || ""));
}

export const getEntry = async (id) => openEntry(await store.getEntry(id));

export const getFile = async (id) => openFile(key, await store.getFile(id));

export async function putEntry(entry, { add = [], remove = [] } = {}) {
  if (await isLocked()) throw new Error("locked"); // never written in clear while a passphrase is set
  if (!key) return store.putEntry(entry, { add, remove });
  const sealed = await Promise.all(add.map(async (file) => {
    const { id, iv, bytes } = await sealFile(key, { ...file, entryId: entry.id });
    return { id, iv, bytes };
  }));
  return store.putEntry(await sealEntry(key, entry), { add: sealed, remove });
}
