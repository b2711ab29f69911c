// Photos shrink on the phone before they travel (issue 27). A phone's 12 MP
// photo is 3 to 5 MB: over a slow 3G connection (400 kbit/s) that is 80 s and
// more before her receipt. The server keeps photos at most MAX_SIDE pixels on
// their long side (app/reports/photos.py), so before sending, the phone decodes
// the photo upright, scales it to that size and encodes it again as a JPEG of
// a few hundred KB. That copy is pixels only: no EXIF, GPS, make or owner leaves
// the phone (the server still strips everything: defence in depth).
//
// The work is done in a worker (shrink-worker.js), off the main thread. Where
// the browser cannot do it, cannot decode the photo (HEIC in Chromium and
// Firefox), takes too long, or anything fails, the photo she chose is sent as
// it is, as before: a photo is never lost for this.
//
// preparePhoto(file) is the one entry point, for whatever sends the form.

// A 12 MP photo leaves as at most this. The budget is 600 KB; the
// margin keeps Send -> receipt under 15 s at 400 kbit/s, 400 ms (bench/upload.py).
const BUDGET = 500 * 1024;
// JPEG qualities tried in turn until the photo fits the budget; at the server's
// size even the last leaves a device easy to recognise.
const QUALITIES = [0.8, 0.7, 0.6, 0.5, 0.4];
// Longer than a slow phone takes for a 50 MP photo; past it, the original goes.
const TIMEOUT_MS = 20_000;
// The worker's script must have loaded by then (it says so first): a script that
// cannot be fetched, with the server out of reach, must not hold her report back.
const START_MS = 4_000;
// What the server accepts (photos.ACCEPTED); anything else goes as it is, to be
// refused there with a message in her language.
const ACCEPTED_TYPE = /^image\/(jpeg|png|webp|heic|heif)$/i;
const ACCEPTED_NAME = /\.(jpe?g|png|webp|heic|heif)$/i;

const made = new WeakSet(); // copies made here: never shrunk again
const prepared = new WeakMap(); // a chosen file -> the promise of what to send for it

// The server's cap and the worker's versioned URL, from the photo field
// (templates/reports/_form.html); without them, nothing is shrunk. A form that names
// another site's copy (swapped into a mirror's page it could not place,
// web/mirroring.py) gets the copy beside this file: no page may start another's.
function settings() {
  const field = document.querySelector("[data-photo-max-side]");
  const maxSide = field ? Number(field.dataset.photoMaxSide) : 0;
  const named = field && field.dataset.shrinkWorker && new URL(field.dataset.shrinkWorker, document.baseURI);
  const worker = named && named.origin !== location.origin
    ? new URL("shrink-worker.js", import.meta.url).href : named && named.href;
  return maxSide > 0 ? { maxSide, worker } : null;
}

function shrinkInWorker(file, { maxSide, worker: url }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url);
    const done = (settle, value) => {
      clearTimeout(timer);
      clearTimeout(start);
      worker.terminate();
      settle(value);
    };
    const timer = setTimeout(() => done(reject, new Error("timed out")), TIMEOUT_MS);
    const start = setTimeout(() => done(reject, new Error("worker did not start")), START_MS);
    worker.onmessage = ({ data }) => {
      if (data && data.started) clearTimeout(start);
      else if (data && data.blob) done(resolve, data.blob);
      else done(reject, new Error(data && data.error));
    };
    worker.onerror = (error) => { error.preventDefault(); done(reject, error); };
    worker.postMessage({ file, maxSide, budget: BUDGET, qualities: QUALITIES });
  });
}

async function shrink(file) {
  const found = settings();
  const accepted = ACCEPTED_TYPE.test(file.type) || ACCEPTED_NAME.test(file.name);
  if (!found || !accepted || !found.worker || typeof OffscreenCanvas === "undefined"
      || typeof Worker === "undefined" || typeof createImageBitmap === "undefined") return file;
  try {
    const blob = await shrinkInWorker(file, found);
    // The server checks that the name says what the file holds.
    const name = `${(file.name || "photo").replace(/\.[^.]*$/, "") || "photo"}.jpg`;
    const copy = new File([blob], name, { type: "image/jpeg" });
    made.add(copy);
    return copy;
  } catch {
    return file; // as before this module: the server shrinks and strips it
  }
}

// What to send for the photo she chose: a small, upright, metadata-free JPEG,
// or the file itself. Never rejects; asked again for the same file (a second
// try, a proof of work), it answers at once.
export function preparePhoto(file) {
  if (!(file instanceof File) || !file.size || made.has(file)) return Promise.resolve(file);
  if (!prepared.has(file)) prepared.set(file, shrink(file));
  return prepared.get(file);
}
