// The offline outbox. A report that cannot be sent waits in IndexedDB on this
// phone, photo and all, and is sent when the connection returns: on the
// "online" event and on every page load (Background Sync does not exist in
// Safari or Firefox). Its idempotency key travels with it, so however often it
// is sent, it is stored once, and the same receipt comes back. Also: receipts
// she chose to keep on this phone (the status page).
//
// Loaded by the report form, its offline shell, the receipt and the status
// page; on any other page by common.js, when storage says something waits.
import { write } from "./storage.js";
import { solveProof } from "./proof.js";

const OUTBOX = { db: "spotcheck-outbox", reports: "reports", receipts: "receipts" };

function outboxDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(OUTBOX.db, 1);
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
      const request = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
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

// The server's answer to a report, read as htmx would swap it in. This is the
// one place that reads it, and its whole contract with the templates:
//  - stored: templates/reports/_receipt.html, an element with
//    data-receipt="<the receipt code>";
//  - refused: the form again, its reason in the first [role=alert].
// Parsed into an inert document: nothing in it runs or loads.
function readAnswer(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const receipt = page.querySelector("[data-receipt]");
  const alert = page.querySelector("[role=alert]");
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

async function keepInOutbox(form) {
  const fields = [];
  for (const [name, value] of new FormData(form)) {
    // An empty file input still sends an empty file; leave it out.
    if (value instanceof File && !value.name) continue;
    fields.push([name, value]);
  }
  await outboxPut(OUTBOX.reports, {
    key: form.elements.idempotency_key.value, action: form.action, fields, day: today(),
  });
  // The form is ready for another report, under a new key, and empty: choices a
  // checklist's link made are cleared too, so it cannot look unsent.
  form.reset();
  form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((box) => { box.checked = false; });
  form.querySelectorAll("select").forEach((select) => { select.selectedIndex = 0; });
  form.dispatchEvent(new Event("change", { bubbles: true })); // new-report.js hides the follow-ups
  form.elements.idempotency_key.value = newIdempotencyKey();
  await showOutbox();
  document.querySelector("[data-outbox]").scrollIntoView({ block: "start" });
}

let sending = false;

async function sendOutbox() {
  if (sending || !navigator.onLine) return;
  sending = true;
  try {
    for (const entry of await outboxAll(OUTBOX.reports)) {
      const body = new FormData();
      for (const [name, value] of entry.fields) body.append(name, value);
      let response;
      try {
        const post = () => fetch(entry.action, { method: "POST", body, headers: { "HX-Request": "true" } });
        response = await post();
        const challenge = response.headers.get("SpotCheck-Proof");
        if (response.status === 429 && challenge) {
          // The site is flooded: prove, then send the same report again.
          body.set("proof_answer", await solveProof(challenge));
          body.set("proof_challenge", challenge);
          response = await post();
        }
      } catch {
        break; // still offline: try again on the next "online" event or page load
      }
      const answer = readAnswer(await response.text());
      if (response.ok && answer.receipt) {
        await outboxPut(OUTBOX.receipts, { key: entry.key, code: answer.receipt, day: entry.day });
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

async function showOutbox() {
  const [waiting, receipts] = await Promise.all([outboxAll(OUTBOX.reports), outboxAll(OUTBOX.receipts)]);
  const sent = receipts.filter((receipt) => !receipt.kept);
  // For common.js: whether other pages should load this module to show them.
  write("outbox", waiting.length || sent.length ? String(waiting.length + sent.length) : null);
  const box = document.querySelector("[data-outbox]");
  if (!box) return;
  const list = box.querySelector("ul");
  list.replaceChildren();
  const item = (text, label, onClick) => {
    const li = document.createElement("li");
    const p = document.createElement("p");
    p.textContent = text; // text nodes only: nothing here is parsed as HTML
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-quiet";
    button.textContent = label;
    button.addEventListener("click", async () => { await onClick(); await showOutbox(); });
    li.append(p, button);
    list.append(li);
  };
  for (const entry of waiting) {
    const text = entry.failed
      ? box.dataset.failed.replace("{date}", entry.day).replace("{reason}", entry.failed)
      : box.dataset.waiting.replace("{date}", entry.day);
    item(text, box.dataset.delete, () => outboxDelete(OUTBOX.reports, entry.key));
  }
  for (const receipt of sent) {
    item(box.dataset.sent, box.dataset.dismiss, () => outboxDelete(OUTBOX.receipts, receipt.key));
    // The code as the receipt shows it, with its own copy button.
    const li = list.lastElementChild;
    li.querySelector("p").after(receiptCode(receipt.code));
    if (navigator.clipboard) {
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "button button-quiet";
      copy.textContent = box.dataset.copyLabel;
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(receipt.code);
          copy.textContent = box.dataset.copiedLabel;
        } catch { /* the code is on screen to write down */ }
      });
      li.querySelector(".receipt-code").after(copy);
    }
  }
  box.hidden = !(waiting.length || sent.length);
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
  const button = event.target instanceof Element && event.target.closest("[data-keep-receipt]");
  if (!button) return;
  const code = button.dataset.keepReceipt;
  await outboxPut(OUTBOX.receipts, { key: `kept:${code}`, code, day: today(), kept: true });
  button.textContent = button.dataset.kept;
  button.disabled = true;
  const note = button.closest("[data-receipt]").querySelector("[data-keep-receipt-note]");
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
    const check = document.createElement("button");
    check.type = "button";
    check.className = "button";
    check.textContent = box.dataset.check;
    check.addEventListener("click", () => {
      const form = document.querySelector("[data-status-form]");
      form.elements.code.value = receipt.code;
      form.requestSubmit();
    });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-quiet";
    remove.textContent = box.dataset.remove;
    remove.addEventListener("click", async () => {
      await outboxDelete(OUTBOX.receipts, receipt.key);
      await showKeptReceipts();
    });
    li.append(receiptCode(receipt.code), check, remove);
    list.append(li);
  }
  box.hidden = !kept.length;
}

if ("indexedDB" in window) {
  // "Keep it on this phone" is offered only where the phone can keep it.
  const showKeepButtons = (root) => root.querySelectorAll
    && root.querySelectorAll("[data-keep-receipt]").forEach((b) => { b.hidden = false; });
  showKeepButtons(document);
  document.addEventListener("htmx:afterSettle", (event) => showKeepButtons(event.target));
  // Offline already: keep the report instead of letting the browser fail. The
  // offline shell always goes through the outbox (it was shown because the
  // network failed, and it carries no htmx), which sends at once if it can.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("[data-report-form]")) return;
    const shell = form.matches("[data-outbox-only]");
    if (navigator.onLine && !shell) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keepInOutbox(form).then(sendOutbox).catch(() => {});
  }, true);
  // The connection dropped while sending: the server may or may not have it;
  // the idempotency key makes sending it again safe either way.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest("[data-report-form]");
    if (form) keepInOutbox(form);
  });
  // 503: the server could not store it (a full or failing disk) and says so in a
  // page htmx does not swap in; the report waits here and is sent again later.
  document.addEventListener("htmx:responseError", (event) => {
    const source = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    const form = source instanceof Element && source.closest("[data-report-form]");
    if (form && event.detail.xhr.status === 503) keepInOutbox(form);
  });
  window.addEventListener("online", sendOutbox);
  showOutbox().then(sendOutbox).catch(() => {});
  showKeptReceipts().catch(() => {});
}
