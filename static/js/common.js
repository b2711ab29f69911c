// What every page needs, and nothing more: quick exit, the service worker and
// its update notice, printing the "why" notes, and the outbox when reports wait.
// Everything works without it; it only makes things quicker. Each feature has
// its own module, which only the pages that use it load (templates name them
// with module_scripts(), app/web/assets.py). No inline scripts: the CSP forbids them.
import { read } from "./storage.js";

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
  // Most pages carry only where the notice's words are (base.html): the report
  // form's shell, kept by the service worker. Read when a new version waits.
  const words = async () => {
    if (notice.querySelector("[data-update-reload]")) return true;
    try {
      const response = await fetch(notice.dataset.wordsFrom);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const source = page.querySelector("[data-update-notice]");
      if (!response.ok || !source?.querySelector("[data-update-reload]")) return false;
      notice.replaceChildren(...source.childNodes);
      return true;
    } catch {
      return false;
    }
  };
  const offerUpdate = async (worker) => {
    if (!notice || !worker || !(await words())) return;
    notice.hidden = false;
    notice.querySelector("[data-update-reload]").addEventListener("click", () => {
      worker.postMessage({ type: "SKIP_WAITING" });
    }, { once: true });
  };
  // The worker sits at the site's root, two folders above this module (static/js/):
  // /sw.js, or /some/path/sw.js where the site is mounted below a path (a mirror).
  const script = new URL("../../sw.js", import.meta.url).pathname;
  let tries = 0;
  const register = () => navigator.serviceWorker.register(script).then((registration) => {
    // A new version already waiting (installed on an earlier visit).
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker.addEventListener("statechange", () => {
        // "installed" with a controller: an update, not the first install.
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
        // One file that did not come fails the whole install, and the browser tries
        // again only on her next visit: on a weak signal, try again from this page.
        if (worker.state === "redundant" && !registration.active) retry();
      });
    });
  }).catch(retry);
  const retry = () => {
    if (++tries > 3) return;
    if (navigator.onLine) setTimeout(register, 5000 * tries);
    else addEventListener("online", register, { once: true });
  };
  // A second after the page has loaded, not while it loads: the install's files then
  // never compete with the page she opened, and she has most likely stayed. WebKitGTK
  // 2.50 kept the worker "installing" until the browser closed, in about one fresh
  // session of four, when the page was left within a tenth of a second of register()
  // (docs/browsers.md); a page left sooner than a second registers nothing, the next one does.
  const settled = () => setTimeout(register, 1000);
  if (document.readyState === "complete") settled();
  else addEventListener("load", settled, { once: true });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Reload only when the visitor asked for the new version.
    if (notice && !notice.hidden && !reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}

// Reports waiting on this phone, or receipts not yet written down, show on
// every page (base.html's outbox) and are sent from any page. outbox.js says
// how many there are in storage; only then is it loaded here. (The report, receipt
// and status pages load it themselves.)
if (Number(read("outbox", "0")) > 0) import("./outbox.js").catch(() => {});
