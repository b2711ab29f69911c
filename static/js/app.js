// SpotCheck's page script. Everything works without it; it only makes things
// quicker. No inline scripts anywhere: the CSP forbids them.
"use strict";

// Quick exit: blank the page at once, then replace this history entry with the
// neutral site, so the Back button does not lead straight back here.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-quick-exit]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  document.body.hidden = true;
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
  progress.hidden = false;
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
