// The outbox. A report is put here, on this phone, before it is sent, and taken
// out once the server has answered: if she leaves the page or loses the signal
// mid-upload, it waits here and is sent when the connection returns (on the
// "online" event and on every page load; Background Sync does not exist in
// Safari or Firefox). Its idempotency key travels with it, so however often it
// is sent, it is stored once, and the same receipt comes back. A photo is kept
// as bytes with its name and type, not as a File: WebKit's ephemeral sessions
// (Safari's Private Browsing) refuse to store a Blob in IndexedDB. Where the
// phone keeps nothing at all, she is told at once, her text stays in the form,
// and it is sent from the open page. Also: receipts she chose to keep on this
// phone (the status page).
//
// Loaded by the report form, its offline shell, the receipt and the status
// page; on any other page by common.js, when storage says something waits.
import { write } from "./storage.js";
import { solveProof } from "./proof.js";
import { preparePhoto } from "./shrink.js";

const OUTBOX = { db: "spotcheck-outbox", reports: "reports", receipts: "receipts" };

function outboxDb() {
  return new Promise((resolve, reject) => {
    // Some browsers have no IndexedDB, or throw when it is opened (private modes).
    const open = window.indexedDB.open(OUTBOX.db, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(OUTBOX.reports, { keyPath: "key" });
      open.result.createObjectStore(OUTBOX.receipts, { keyPath: "key" });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function outboxDo(store, mode, action) {
  const db = await outboxDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = action(tx.objectStore(store)); // a value it cannot clone throws here
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("outbox write aborted")); // e.g. quota
    });
  } finally {
    db.close();
  }
}

const outboxAll = (store) => outboxDo(store, "readonly", (s) => s.getAll());
const outboxPut = (store, value) => outboxDo(store, "readwrite", (s) => s.put(value));
const outboxDelete = (store, key) => outboxDo(store, "readwrite", (s) => s.delete(key));

function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

const today = () => new Date().toISOString().slice(0, 10);

// preparePhoto (shrink.js) makes a photo ready to travel, for every way a report is
// sent (htmx, the outbox, both from here): upright, scaled to the server's cap, no
// metadata; the original where the phone can't. What it returns is kept and sent.

// shrink.js prepares each photo once and never rejects; what it made is kept here too,
// for htmx:configRequest, which must swap it in without waiting.
const prepared = new WeakMap(); // her File -> the File that travels, once ready
async function preparedPhoto(file) {
  const ready = await preparePhoto(file);
  prepared.set(file, ready);
  return ready;
}

// The form as the outbox keeps it: text as text, a photo as its bytes, name and type.
async function storedFields(form) {
  const fields = [];
  for (const [name, value] of new FormData(form)) {
    if (value instanceof File) {
      if (!value.name) continue; // an empty file input still sends an empty file
      const photo = await preparedPhoto(value);
      fields.push([name, { name: photo.name, type: photo.type, bytes: await photo.arrayBuffer() }]);
    } else {
      fields.push([name, value]);
    }
  }
  return fields;
}

// ...and back into a form to send: the photo rebuilt into a File, byte for byte.
function formBody(fields) {
  const body = new FormData();
  for (const [name, value] of fields) {
    if (value instanceof Blob) body.append(name, value); // kept by an earlier version
    else if (value && typeof value === "object" && value.bytes) {
      body.append(name, new File([value.bytes], value.name, { type: value.type }));
    } else body.append(name, value);
  }
  return body;
}

// The server's answer to a report, read as htmx would swap it in. This is the
// one place that reads it, and its whole contract with the templates:
//  - stored: templates/reports/_receipt.html, an element with
//    data-receipt="<the receipt code>";
//  - refused: the form again, its reason in the first [role=alert].
// Parsed into an inert document: nothing in it runs or loads.
function readAnswer(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const receipt = page.querySelector("[data-receipt]");
  const alert = page.querySelector("[role=alert]:not([hidden])");
  return {
    receipt: receipt ? receipt.dataset.receipt : null,
    reason: alert ? alert.textContent.replace(/\s+/g, " ").trim() : null,
  };
}

// The form's offline shell is the same for everyone and comes without a key:
// each report written in it gets its own, or the server would keep only the first.
// It stands in for /report?space=…&device=… (a checklist's link), so it reads
// those itself; only values the form offers are taken.
document.querySelectorAll("[data-report-form]").forEach((form) => {
  if (form.elements.idempotency_key.value) return;
  form.elements.idempotency_key.value = newIdempotencyKey();
  const asked = new URLSearchParams(window.location.search);
  const space = [...form.elements.space].find((radio) => radio.value === asked.get("space"));
  if (space) space.checked = true;
  const device = [...form.elements.device.options].find((o) => o.value === asked.get("device"));
  if (device) device.selected = true;
});

// -- Sending from the form -----------------------------------------------------

const busy = new WeakSet(); // forms with a send under way: a second tap sends nothing
const passing = new WeakSet(); // forms this module submits again, for htmx (or the browser) to send
const inFlight = new Map(); // form -> { key, kept }: sent by this page now
const unkept = new Set(); // forms whose report this phone refused to keep: still on screen

// Where a report is sent, in order: the form's own action; on a page of a mirror,
// the primary's and then other SpotCheck sites' (app/web/mirroring.py).
const endpointsOf = (form) => (form.dataset.reportEndpoints || "").split(" ").filter(Boolean);

// Puts the report in the outbox, under its key; throws if the phone refuses.
async function keepReport(form) {
  const endpoints = endpointsOf(form);
  await outboxPut(OUTBOX.reports, {
    key: form.elements.idempotency_key.value, action: form.action,
    ...(endpoints.length ? { endpoints } : {}),
    fields: await storedFields(form), day: today(),
  });
  await countForOtherPages().catch(() => {});
}

// The report waits in the outbox now: the form is ready for another report,
// under a new key, and empty; choices a checklist's link made are cleared too,
// so it cannot look unsent.
async function emptyForm(form) {
  form.reset();
  form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((box) => { box.checked = false; });
  form.querySelectorAll("select").forEach((select) => { select.selectedIndex = 0; });
  form.dispatchEvent(new Event("change", { bubbles: true })); // new-report.js hides the follow-ups
  form.elements.idempotency_key.value = newIdempotencyKey();
  await showOutbox();
  const box = document.querySelector("[data-outbox]");
  if (box) box.scrollIntoView({ block: "start" });
}

function showSending(form, sending) {
  const button = form.querySelector("[data-sending]");
  const status = form.querySelector("[data-send-status]");
  const bar = form.querySelector("[data-send-progress]");
  if (!button) return;
  if (sending) {
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = button.dataset.sending;
    button.disabled = true;
    if (status) status.textContent = button.dataset.sending;
  } else {
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.disabled = false;
    if (status) status.textContent = "";
    if (bar) bar.hidden = true;
  }
}

// The phone would not keep it (private browsing, full storage, no IndexedDB):
// say so at once, keep her text, and send from this page when it can.
function cannotKeep(form) {
  unkept.add(form);
  const notice = form.querySelector("[data-storage-failed]");
  if (!notice) return;
  notice.hidden = false;
  showConnection(form);
  notice.scrollIntoView({ block: "center" });
}

function showConnection(form) {
  const notice = form.querySelector("[data-storage-failed]");
  if (!notice) return;
  notice.querySelector("[data-send-now]").parentElement.hidden = !navigator.onLine;
  notice.querySelector("[data-storage-offline]").hidden = navigator.onLine;
}

// Submits the form again, for htmx (or the browser) to send. In a task of its own:
// while its submit event is still being dispatched (nothing above had to wait for
// storage), a form ignores requestSubmit().
function resubmit(form) {
  setTimeout(() => {
    passing.add(form);
    form.requestSubmit();
    if (passing.has(form)) { // no submit event came (a field became invalid): nothing is sent
      passing.delete(form);
      inFlight.delete(form);
      busy.delete(form);
      showSending(form, false);
    }
  }, 0);
}

async function send(form, { direct = false } = {}) {
  busy.add(form);
  showSending(form, true);
  const shell = form.matches("[data-outbox-only]");
  const file = form.elements.photo && form.elements.photo.files[0];
  if (file) await preparedPhoto(file); // ready for htmx:configRequest below
  if (shell && direct) {
    // The offline shell has no htmx: the browser sends it, and the receipt is a page.
    resubmit(form);
    return;
  }
  let kept = false;
  try {
    await keepReport(form);
    kept = true;
  } catch {
    kept = false;
  }
  if (shell || !navigator.onLine || !window.htmx) {
    busy.delete(form);
    showSending(form, false);
    if (!kept) {
      if (navigator.onLine && !shell) { // no htmx: the browser sends it as it would without scripts
        resubmit(form);
        return;
      }
      cannotKeep(form);
      return;
    }
    unkept.delete(form);
    await emptyForm(form);
    sendOutbox();
    return;
  }
  inFlight.set(form, { key: form.elements.idempotency_key.value, kept });
  resubmit(form); // htmx sends it; htmx:afterRequest below takes it from there
}

const sourceForm = (detail) => {
  const source = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
  return source instanceof Element ? source.closest("[data-report-form]") : null;
};

// Every report goes through send(): kept first, then sent; a second tap is dropped.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-report-form]")) return;
  if (passing.has(form)) {
    passing.delete(form);
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  if (busy.has(form)) return;
  send(form).catch(() => {
    busy.delete(form);
    showSending(form, false);
    cannotKeep(form);
  });
}, true);

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-send-now]");
  const form = button && button.closest("[data-report-form]");
  if (form && !busy.has(form)) send(form, { direct: true });
});

// htmx sends the photo prepared above, not the one in the file input.
document.addEventListener("htmx:configRequest", (event) => {
  if (!sourceForm(event.detail)) return;
  const photo = event.detail.formData.get("photo");
  const ready = photo instanceof File && prepared.get(photo);
  if (ready) event.detail.formData.set("photo", ready);
});

// Progress of a photo's upload. htmx 2 fires htmx:xhr:progress for the upload and
// the download alike, with nothing to tell them apart, so this listens to the
// request's upload itself. Read out in quarters: a polite region that talks at
// every step is noise.
document.addEventListener("htmx:beforeSend", (event) => {
  const form = sourceForm(event.detail);
  if (!form || !inFlight.has(form) || !(form.elements.photo && form.elements.photo.files[0])) return;
  const bar = form.querySelector("[data-send-progress]");
  const status = form.querySelector("[data-send-status]");
  let told = 0;
  event.detail.xhr.upload.addEventListener("progress", (progress) => {
    if (!progress.lengthComputable || !progress.total) return;
    const percent = Math.floor((100 * progress.loaded) / progress.total);
    bar.hidden = false;
    bar.value = percent;
    if (percent - told >= 25 || (percent === 100 && told < 100)) {
      told = percent - (percent % 25);
      status.textContent = status.dataset.photoProgress.replace("{percent}", String(percent));
    }
  });
});

// The server answered, or the request failed.
document.addEventListener("htmx:afterRequest", async (event) => {
  const form = sourceForm(event.detail);
  const sending = form && inFlight.get(form);
  if (!sending) return;
  inFlight.delete(form);
  busy.delete(form);
  showSending(form, false);
  const { xhr } = event.detail;
  // 0: the connection dropped, timed out, or she left the page; 503: the server
  // could not store it. Either way it may or may not have arrived: the key makes
  // sending it again safe.
  if (xhr.status === 0 || xhr.status === 503) {
    if (sending.kept) {
      unkept.delete(form);
      await emptyForm(form);
      // A mirror's page: try the other endpoints now, and say if none answers.
      if (endpointsOf(form).length) sendOutbox();
    } else {
      cannotKeep(form);
    }
    return;
  }
  // In a flood new-report.js proves and sends the same form again: it waits here meanwhile.
  if (xhr.status === 429 && xhr.getResponseHeader("SpotCheck-Proof")) return;
  // A receipt, or her form back with the reason and her text: nothing waits.
  unkept.delete(form);
  if (sending.kept) {
    await outboxDelete(OUTBOX.reports, sending.key).catch(() => {});
    await countForOtherPages().catch(() => {});
  }
});

// Her report is neither kept nor sent yet: leaving would lose it, so ask.
window.addEventListener("beforeunload", (event) => {
  const unsafe = [...unkept].some((form) => form.isConnected)
    || [...inFlight.values()].some((sending) => !sending.kept);
  if (unsafe) event.preventDefault();
});

window.addEventListener("online", () => {
  unkept.forEach((form) => {
    if (!form.isConnected) unkept.delete(form);
    else {
      showConnection(form);
      if (!busy.has(form)) send(form, { direct: true });
    }
  });
});
window.addEventListener("offline", () => unkept.forEach(showConnection));

// -- Sending from the outbox -------------------------------------------------------

let sending = false;

async function sendOutbox() {
  if (sending || !navigator.onLine) return;
  sending = true;
  try {
    const here = new Set([...inFlight.values()].map((entry) => entry.key));
    for (const entry of await outboxAll(OUTBOX.reports)) {
      if (here.has(entry.key)) continue; // this page is sending it now
      const body = formBody(entry.fields);
      let response;
      // Each endpoint in turn until one answers (a mirror's page has several).
      for (const url of entry.endpoints || [entry.action]) {
        try {
          const post = () => fetch(url, { method: "POST", body, headers: { "HX-Request": "true" } });
          response = await post();
          const challenge = response.headers.get("SpotCheck-Proof");
          if (response.status === 429 && challenge) {
            // The site is flooded: prove, then send the same report again; a browser
            // that cannot run the worker says so, and the server holds it for organizers.
            try {
              body.set("proof_answer", await solveProof(challenge));
              body.set("proof_challenge", challenge);
            } catch {
              body.set("no_proof", "1");
            }
            response = await post();
          }
          break;
        } catch {
          response = undefined; // did not answer (or refused this page's address): the next one
        }
      }
      if (!response) {
        // Online, yet no site answered: she is told it could not be reached.
        if (navigator.onLine && !entry.unreachable) {
          entry.unreachable = true;
          await outboxPut(OUTBOX.reports, entry).catch(() => {});
        }
        break; // try again on the next "online" event or page load
      }
      const answer = readAnswer(await response.text());
      if (response.ok && answer.receipt) {
        await outboxPut(OUTBOX.receipts, { key: entry.key, code: answer.receipt, day: entry.day, arrived: today() });
        await outboxDelete(OUTBOX.reports, entry.key);
      } else if (response.status !== 429 && response.status < 500) {
        // Refused for good (e.g. the form changed): say why, and let her delete it.
        entry.failed = answer.reason || String(response.status);
        await outboxPut(OUTBOX.reports, entry);
      }
    }
  } finally {
    sending = false;
    await showOutbox();
  }
}

// -- The outbox on screen ----------------------------------------------------------

// The report, receipt and status pages: an outbox receipt stays listed there until
// she keeps or removes it; on other pages only on the day it arrived.
const reportsPage = () => Boolean(document.querySelector("#report-form, #report-status"));
const arrivedToday = (receipt) => (receipt.arrived || receipt.day) === today();
const onScreen = (receipt) => !receipt.kept && (reportsPage() || arrivedToday(receipt));

// For common.js: whether other pages should load this module to show them.
async function countForOtherPages() {
  const [waiting, receipts] = await Promise.all([
    outboxDo(OUTBOX.reports, "readonly", (s) => s.count()), outboxAll(OUTBOX.receipts)]);
  const fresh = receipts.filter((r) => !r.kept && arrivedToday(r)).length;
  write("outbox", waiting + fresh ? String(waiting + fresh) : null);
}

function button(label, onClick, className = "button button-quiet") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

// Deleting loses something for good: she is asked first.
const confirmed = (question) => window.confirm(question);

// "See its status": the status page is a POST (a code never goes in a URL).
function openStatus(url, code) {
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  form.hidden = true;
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = "code";
  input.value = code;
  form.append(input);
  document.body.append(form);
  form.submit();
}

// Most pages carry only where the outbox's labels are (base.html): the report form's
// shell, which the service worker keeps in every language. Read once, when something
// is to be shown; without them the outbox stays hidden (the reports are still sent).
async function labelled(box) {
  if (box.dataset.waiting) return true;
  if (!box.dataset.labelsFrom) return false;
  try {
    const response = await fetch(box.dataset.labelsFrom);
    if (!response.ok) return false;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const source = page.querySelector("[data-outbox][data-waiting]");
    if (!source) return false;
    Object.assign(box.dataset, source.dataset);
    return true;
  } catch {
    return false;
  }
}

async function showOutbox() {
  const [waiting, receipts] = await Promise.all([outboxAll(OUTBOX.reports), outboxAll(OUTBOX.receipts)]);
  const here = new Set([...inFlight.values()].map((entry) => entry.key));
  const reports = waiting.filter((entry) => !here.has(entry.key));
  const sent = receipts.filter(onScreen);
  await countForOtherPages();
  const box = document.querySelector("[data-outbox]");
  if (!box) return;
  if (!(reports.length || sent.length) || !(await labelled(box))) {
    box.querySelector("ul").replaceChildren();
    box.hidden = true;
    return;
  }
  const list = box.querySelector("ul");
  list.replaceChildren();
  const item = (text) => {
    const li = document.createElement("li");
    const p = document.createElement("p");
    p.textContent = text; // text nodes only: nothing here is parsed as HTML
    li.append(p);
    list.append(li);
    return li;
  };
  for (const entry of reports) {
    const waiting = entry.unreachable && navigator.onLine && box.dataset.unreachable
      ? box.dataset.unreachable : box.dataset.waiting;
    const text = entry.failed
      ? box.dataset.failed.replace("{date}", entry.day).replace("{reason}", entry.failed)
      : waiting.replace("{date}", entry.day);
    item(text).append(button(box.dataset.delete, async () => {
      if (!confirmed(box.dataset.confirmDeleteReport)) return;
      await outboxDelete(OUTBOX.reports, entry.key);
      await showOutbox();
    }));
  }
  for (const receipt of sent) {
    // The code as the receipt shows it, with what the online receipt offers.
    const li = item(box.dataset.sent);
    li.append(receiptCode(receipt.code));
    if (navigator.clipboard) {
      const copy = button(box.dataset.copyLabel, async () => {
        try {
          await navigator.clipboard.writeText(receipt.code);
          copy.textContent = box.dataset.copiedLabel;
        } catch { /* the code is on screen to write down */ }
      });
      li.append(copy);
    }
    li.append(button(box.dataset.keepLabel, async () => {
      // Opt-in, as on the receipt: on a shared phone a kept code is a trace.
      await outboxPut(OUTBOX.receipts, { ...receipt, kept: true });
      await showOutbox();
      item(box.dataset.keptNote); // the banner is a polite live region: this is read out
      box.hidden = false;
    }));
    li.append(button(box.dataset.statusLabel, () => openStatus(box.dataset.statusUrl, receipt.code)));
    li.append(button(box.dataset.removeLabel, async () => {
      if (!confirmed(box.dataset.confirmDeleteCode)) return;
      await outboxDelete(OUTBOX.receipts, receipt.key);
      await showOutbox();
    }));
  }
  box.hidden = !(reports.length || sent.length);
}

// A receipt code as the receipt shows it: groups that never break inside.
function receiptCode(code) {
  const p = document.createElement("p");
  p.className = "receipt-code";
  p.translate = false;
  code.split("-").forEach((group, i) => {
    if (i) p.append("-");
    const span = document.createElement("span");
    span.textContent = group;
    p.append(span);
  });
  return p;
}

// "Keep it on this phone": only when she asks. Kept codes are listed on the
// status page, never on every page as the outbox is.
document.addEventListener("click", async (event) => {
  const keep = event.target instanceof Element && event.target.closest("[data-keep-receipt]");
  if (!keep) return;
  const code = keep.dataset.keepReceipt;
  await outboxPut(OUTBOX.receipts, { key: `kept:${code}`, code, day: today(), kept: true });
  keep.textContent = keep.dataset.kept;
  keep.disabled = true;
  const note = keep.closest("[data-receipt]").querySelector("[data-keep-receipt-note]");
  if (note) note.hidden = false;
});

async function showKeptReceipts() {
  const box = document.querySelector("[data-kept-receipts]");
  if (!box) return;
  const kept = (await outboxAll(OUTBOX.receipts)).filter((r) => r.kept);
  const list = box.querySelector("ul");
  list.replaceChildren();
  for (const receipt of kept) {
    const li = document.createElement("li");
    const check = button(box.dataset.check, () => {
      const form = document.querySelector("[data-status-form]");
      form.elements.code.value = receipt.code;
      form.requestSubmit();
    }, "button");
    const remove = button(box.dataset.remove, async () => {
      if (!confirmed(box.dataset.confirmRemove)) return;
      await outboxDelete(OUTBOX.receipts, receipt.key);
      await showKeptReceipts();
    });
    li.append(receiptCode(receipt.code), check, remove);
    list.append(li);
  }
  box.hidden = !kept.length;
}

if (window.indexedDB) {
  // "Keep it on this phone" is offered only where the phone can keep it.
  const showKeepButtons = (root) => root.querySelectorAll
    && root.querySelectorAll("[data-keep-receipt]").forEach((b) => { b.hidden = false; });
  showKeepButtons(document);
  document.addEventListener("htmx:afterSettle", (event) => showKeepButtons(event.target));
}
window.addEventListener("online", () => { sendOutbox().catch(() => {}); });
showOutbox().then(sendOutbox).catch(() => {});
showKeptReceipts().catch(() => {});
