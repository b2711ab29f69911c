// SpotCheck's page script. Everything works without it; it only makes things
// quicker. No inline scripts anywhere: the CSP forbids them.
"use strict";

// Quick exit: blank the page at once, open the neutral site in a fresh tab,
// whose Back button has nothing of SpotCheck behind it, and replace this tab's
// entry too. (No page can clear its tab's history; a new tab has none. Where
// the browser refuses the new tab, this tab still leaves.)
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-quick-exit]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  document.body.hidden = true;
  window.open(link.href, "_blank", "noopener,noreferrer");
  window.location.replace(link.href);
});

// Checklist marks: kept in this browser only (localStorage, one entry per
// space), never sent anywhere. Without JS the radios still work; they are just
// not remembered.
const STORE_PREFIX = "spotcheck:marks:";

function readMarks(space) {
  try {
    return JSON.parse(localStorage.getItem(STORE_PREFIX + space)) || {};
  } catch {
    return {}; // storage disabled (some private modes) or damaged: start afresh
  }
}

function writeMarks(space, marks) {
  try {
    if (Object.keys(marks).length) localStorage.setItem(STORE_PREFIX + space, JSON.stringify(marks));
    else localStorage.removeItem(STORE_PREFIX + space);
  } catch {
    // Storage full or disabled: the marks still work for this visit.
  }
}

function setUpChecklist(root) {
  const space = root.dataset.checklist;
  const items = [...root.querySelectorAll(".item")];
  const progress = root.querySelector("[data-progress]");
  const clearRow = root.querySelector("[data-clear-row]");

  const marksOnPage = () => {
    const marks = {};
    for (const input of root.querySelectorAll("input[type=radio]:checked")) {
      marks[input.name.replace(/^mark-/, "")] = input.value;
    }
    return marks;
  };

  const show = () => {
    const marks = marksOnPage();
    const values = Object.values(marks);
    const count = (v) => values.filter((x) => x === v).length;
    const parts = [progress.dataset.checked.replace("{done}", values.length).replace("{total}", items.length)];
    if (count("unsure")) parts.push(progress.dataset.unsure.replace("{count}", count("unsure")));
    if (count("found")) parts.push(progress.dataset.found.replace("{count}", count("found")));
    progress.textContent = parts.join(" · ");
    for (const item of items) {
      item.classList.toggle("is-found", marks[item.id.replace(/^item-/, "")] === "found");
    }
  };

  for (const [key, value] of Object.entries(readMarks(space))) {
    const input = root.querySelector(`input[name="mark-${CSS.escape(key)}"][value="${CSS.escape(value)}"]`);
    if (input) input.checked = true;
  }
  root.addEventListener("change", () => {
    writeMarks(space, marksOnPage());
    show();
  });
  root.querySelector("[data-clear]").addEventListener("click", () => {
    for (const input of root.querySelectorAll("input[type=radio]:checked")) input.checked = false;
    writeMarks(space, {});
    show();
  });
  progress.removeAttribute("data-pending");
  clearRow.hidden = false;
  show();
}

document.querySelectorAll("[data-checklist]").forEach(setUpChecklist);

// Printing shows every "why" note, not only the opened ones.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
    details.dataset.closedBeforePrint = "";
  }
});
window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-closed-before-print]")) {
    details.open = false;
    delete details.dataset.closedBeforePrint;
  }
});

// Offline: the service worker saves the checklists on this phone. Where service
// workers are missing (some in-app browsers) the site simply stays online-only.
if ("serviceWorker" in navigator) {
  const notice = document.querySelector("[data-update-notice]");
  const offerUpdate = (worker) => {
    if (!notice || !worker) return;
    notice.hidden = false;
    notice.querySelector("[data-update-reload]").addEventListener("click", () => {
      worker.postMessage({ type: "SKIP_WAITING" });
    }, { once: true });
  };
  navigator.serviceWorker.register("/sw.js").then((registration) => {
    // A new version already waiting (installed on an earlier visit).
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker.addEventListener("statechange", () => {
        // "installed" with a controller: an update, not the first install.
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
      });
    });
  }).catch(() => {});
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Reload only when the visitor asked for the new version.
    if (notice && !notice.hidden && !reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}

// ---- Reports -------------------------------------------------------------

// "Use my location": the browser asks her; the position is rounded here, on
// the phone, to about 100 m before it is put in the form.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-locate]");
  if (!button) return;
  const field = button.closest("#field-location");
  const status = field.querySelector("[data-locate-status]");
  status.textContent = button.dataset.locating;
  navigator.geolocation.getCurrentPosition((position) => {
    field.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(3);
    field.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(3);
    status.textContent = button.dataset.located;
  }, () => {
    status.textContent = button.dataset.failed;
  }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
});

// "Choose on a map": the map page's picker, in a frame, so that this page
// never loads map tiles. It sends back a point already rounded to ~100 m.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-pick-open]");
  if (!button) return;
  const field = button.closest("#field-location");
  const latitude = field.querySelector("[name=latitude]").value.trim();
  const longitude = field.querySelector("[name=longitude]").value.trim();
  const frame = document.createElement("iframe");
  frame.className = "picker-frame";
  frame.title = button.dataset.title;
  frame.src = button.dataset.src + (latitude && longitude ? `#${latitude},${longitude}` : "");
  button.after(frame);
  button.hidden = true;

  const close = () => {
    window.removeEventListener("message", receive);
    frame.remove();
    button.hidden = false;
    button.focus();
  };
  const receive = (message) => {
    if (message.origin !== window.location.origin || message.source !== frame.contentWindow) return;
    const { kind, latitude: lat, longitude: lon } = message.data || {};
    if (kind === "location" && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      field.querySelector("[name=latitude]").value = Number(lat).toFixed(3);
      field.querySelector("[name=longitude]").value = Number(lon).toFixed(3);
      field.querySelector("[data-locate-status]").textContent = button.dataset.picked;
    }
    if (kind === "location" || kind === "cancel") close();
  };
  window.addEventListener("message", receive);
});

// The poster print view's button: one click to the browser's print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Copy the receipt code.
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-copy]");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(document.querySelector(button.dataset.copy).textContent.trim());
    button.textContent = button.dataset.copied;
  } catch {
    // No clipboard (older browsers, no permission): the code is on screen to write down.
  }
});

function showReportExtras(root) {
  if ("geolocation" in navigator) root.querySelectorAll("[data-locate]").forEach((b) => { b.hidden = false; });
  root.querySelectorAll("[data-pick-open]").forEach((b) => { b.hidden = false; });
  if (navigator.clipboard) root.querySelectorAll("[data-copy]").forEach((b) => { b.hidden = false; });
  if ("indexedDB" in window) root.querySelectorAll("[data-keep-receipt]").forEach((b) => { b.hidden = false; });
}
showReportExtras(document);
document.addEventListener("htmx:afterSettle", (event) => {
  showReportExtras(event.target);
  // The receipt replaced the form where the Send button was: bring its top into
  // view and read it out, so the code is not half off the screen.
  const heading = event.target.querySelector && event.target.querySelector("[data-receipt-heading]");
  if (heading) {
    heading.closest("[data-receipt]").scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
});

// Follow-up questions: "What did they do?" once she told someone; "What did it
// look like?" not when she saw someone filming. Hidden fields keep what she typed.
function showFollowUps(form) {
  const checked = (name, value) => [...form.querySelectorAll(`[name="${name}"]`)]
    .some((input) => input.checked && (value === undefined || input.value === value));
  form.querySelectorAll("[data-follow-up]").forEach((field) => {
    field.hidden = !field.dataset.followUp.split(" ").some((name) => checked(name));
  });
  form.querySelectorAll("[data-unless]").forEach((field) => {
    const [name, value] = field.dataset.unless.split("=");
    field.hidden = checked(name, value);
  });
}
const reportForms = (root) => (root.querySelectorAll ? root.querySelectorAll("[data-report-form]") : []);
reportForms(document).forEach(showFollowUps);
document.addEventListener("change", (event) => {
  const form = event.target instanceof Element && event.target.closest("[data-report-form]");
  if (form) showFollowUps(form);
});
document.addEventListener("htmx:afterSettle", (event) => reportForms(event.target).forEach(showFollowUps));

// A photo over 10 MB is refused before it is sent.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.name !== "photo" || !input.files[0]) return;
  input.setCustomValidity(input.files[0].size > 10 * 1024 * 1024 ? input.dataset.tooLarge : "");
  input.reportValidity();
});

// ---- Proof of work in a flood ------------------------------------------------
// When more reports arrive than the site takes in an hour, the server answers
// a report with 429 and a challenge in the SpotCheck-Proof header instead of
// storing it (app/reports/proof.py). The phone then finds the answer in a Web
// Worker (about a second) and sends the same form again, photo and all; a
// script flooding the site pays that second for every report.

// The worker's URL: from the form (versioned), else beside this script.
const scriptUrl = document.currentScript && document.currentScript.src;
const proofWorkerUrl = () => {
  const form = document.querySelector("[data-proof-worker]");
  return form ? form.dataset.proofWorker : new URL("proof-worker.js", scriptUrl).href;
};

function solveProof(challenge) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(proofWorkerUrl());
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data.answer); };
    worker.onerror = (error) => { worker.terminate(); reject(error); };
    worker.postMessage({ challenge, bits: Number(challenge.split(".")[1]) });
  });
}

function setHidden(form, name, value) {
  let input = form.elements[name];
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    form.append(input);
  }
  input.value = value;
}

// htmx: keep the form she filled in (a swapped-in copy would lose the photo),
// prove, and send it again.
document.addEventListener("htmx:beforeSwap", async (event) => {
  const challenge = event.detail.xhr.getResponseHeader("SpotCheck-Proof");
  // The form that sent it (detail.elt is the swap target here, #report-form, around the form).
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  const form = source instanceof Element && source.closest("[data-report-form]");
  if (!challenge || !form) return;
  event.detail.shouldSwap = false;
  const status = form.parentElement.querySelector("[data-proof-status]");
  if (status) status.hidden = false;
  try {
    setHidden(form, "proof_answer", await solveProof(challenge));
    setHidden(form, "proof_challenge", challenge);
    form.requestSubmit();
  } catch {
    // No workers (very old browsers): show the server's "very busy" page instead.
    htmx.swap(form.parentElement, event.detail.serverResponse, { swapStyle: "outerHTML" });
  }
});

// ---- Offline outbox --------------------------------------------------------
// A report that cannot be sent waits in IndexedDB on this phone, photo and
// all, and is sent when the connection returns: on the "online" event and on
// every page load (Background Sync does not exist in Safari or Firefox). Its
// idempotency key travels with it, so however often it is sent, it is stored
// once, and the same receipt comes back.

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
  showFollowUps(form);
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
      const html = await response.text();
      const receipt = new DOMParser().parseFromString(html, "text/html").querySelector("[data-receipt]");
      if (response.ok && receipt) {
        await outboxPut(OUTBOX.receipts, { key: entry.key, code: receipt.dataset.receipt, day: entry.day });
        await outboxDelete(OUTBOX.reports, entry.key);
      } else if (response.status !== 429 && response.status < 500) {
        // Refused for good (e.g. the form changed): say why, and let her delete it.
        const reason = new DOMParser().parseFromString(html, "text/html").querySelector("[role=alert]");
        entry.failed = reason ? reason.textContent.replace(/\s+/g, " ").trim() : String(response.status);
        await outboxPut(OUTBOX.reports, entry);
      }
    }
  } finally {
    sending = false;
    await showOutbox();
  }
}

async function showOutbox() {
  const box = document.querySelector("[data-outbox]");
  if (!box || !("indexedDB" in window)) return;
  const [waiting, receipts] = await Promise.all([outboxAll(OUTBOX.reports), outboxAll(OUTBOX.receipts)]);
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
  const sent = receipts.filter((receipt) => !receipt.kept);
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

// Review queue: j / k move between reports, Enter opens the focused one.
document.addEventListener("keydown", (event) => {
  if (!["j", "k"].includes(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
  const links = [...document.querySelectorAll(".queue-link")];
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
  links[next].focus();
  event.preventDefault();
});
