// What this phone remembers for SpotCheck, in localStorage: checklist marks,
// her answers about map tiles, her region, whether reports wait in the outbox.
// Never sent anywhere. The one place that touches localStorage, so there is one
// key style (`spotcheck.<name>`) and one error path: storage can be refused
// (private windows, settings) or full, and then a read gives the default and a
// write gives false; nothing throws, and the page works for this visit.
//
// map-choice.js is the one exception: a classic script (it must run before the
// first paint, which no module can) that reads "spotcheck.map-tiles" itself.

const PREFIX = "spotcheck.";

// Keys of earlier versions, moved to the new style when first read, so nobody
// loses her marks or her answer. ("spotcheck.map-tiles" and "spotcheck.region"
// already had it.)
const oldKey = (name) => {
  if (name.startsWith("marks.")) return `spotcheck:marks:${name.slice("marks.".length)}`;
  if (name === "review-map") return "spotcheck-review-map";
  return null;
};

const migrate = (name) => {
  const old = oldKey(name);
  const value = old === null ? null : localStorage.getItem(old);
  if (value === null) return null;
  localStorage.setItem(PREFIX + name, value); // a full storage throws here: the old key stays
  localStorage.removeItem(old);
  return value;
};

// The text kept under `name`, else `fallback`.
export function read(name, fallback = null) {
  try {
    const value = localStorage.getItem(PREFIX + name) ?? migrate(name);
    return value === null ? fallback : value;
  } catch {
    return fallback;
  }
}

// Keeps `value` (text) under `name`, or forgets it (null). False if storage refused.
export function write(name, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(PREFIX + name);
    else localStorage.setItem(PREFIX + name, value);
    return true;
  } catch {
    return false;
  }
}

// The same for values kept as JSON; damaged JSON reads as the fallback.
export function readJSON(name, fallback) {
  const text = read(name);
  if (text === null) return fallback;
  try {
    return JSON.parse(text) ?? fallback;
  } catch {
    return fallback;
  }
}

export const writeJSON = (name, value) => write(name, value === null ? null : JSON.stringify(value));
