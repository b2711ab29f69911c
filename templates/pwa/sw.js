// SpotCheck's service worker: the checklists open with no connection.
//
// Plain JavaScript, written out by app/offline/views.py with the lists below. VERSION is
// a hash of every precached response, so a deploy that changes any of them
// changes this file, and the browser installs the new worker.
"use strict";

const VERSION = "{{ version }}";
const CACHE = `spotcheck-${VERSION}`;
const PRECACHE = {{ precache|safe }};
const LANGUAGES = {{ languages|safe }};
// The takedown kit per language, its page first: kept only while her tracker holds
// a link (static/js/takedown-store.js says so), never precached for everyone.
const KIT = {{ kit|safe }};
// Report, status and organizer pages are never answered from or put in a cache.
const NEVER_CACHED = {{ never_cached|safe }};
// Where the site is mounted: "" at the host's root, "/some/path" below it (a mirror,
// issue 32). Every path below is under it.
const ROOT = {{ root|tojson }};
// Each language's offline page and report form's shell, as the pages link to them.
const OFFLINE_PAGES = {{ offline_pages|safe }};
const REPORT_SHELLS = {{ report_shells|safe }};
const LAST_LANGUAGE = `${ROOT}/__spotcheck/last-language`;

const languageOf = (url) => LANGUAGES.find((lang) => url.pathname === `${ROOT}/${lang}` || url.pathname.startsWith(`${ROOT}/${lang}/`));
const offlinePage = (lang) => OFFLINE_PAGES[lang];

async function precache(lang, cache) {
  // cache: "reload" skips the HTTP cache, so a page kept for max-age by the
  // browser is never stored under the new version.
  await cache.addAll(PRECACHE[lang].map((url) => new Request(url, { cache: "reload" })));
}

async function isPrecached(lang) {
  const cache = await caches.open(CACHE);
  return Boolean(await cache.match(offlinePage(lang)));
}

// The kit in `lang`, kept: its page and scripts, fresh from the server.
async function keepKit(lang, cache) {
  await cache.addAll(KIT[lang].map((url) => new Request(url, { cache: "reload" })));
}

const keepsKit = (cache, lang) => cache.match(KIT[lang][0]);

// Every language's kit, dropped, but for the files a precached page or a kit
// still kept uses too.
async function dropKit() {
  const cache = await caches.open(CACHE);
  const dropped = [];
  for (const lang of LANGUAGES) if (await keepsKit(cache, lang)) dropped.push(lang);
  const used = new Set(Object.values(PRECACHE).flat());
  for (const lang of dropped) {
    for (const url of KIT[lang]) if (!used.has(url)) await cache.delete(url);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    // The languages of the pages open now, and of every earlier cache, so an
    // update keeps each language the visitor already has offline.
    const wanted = new Set();
    const kits = new Set(); // the languages whose takedown kit an earlier version kept
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      const lang = languageOf(new URL(client.url));
      if (lang) wanted.add(lang);
    }
    for (const name of await caches.keys()) {
      if (!name.startsWith("spotcheck-")) continue;
      const old = await caches.open(name);
      for (const lang of LANGUAGES) {
        if (await old.match(offlinePage(lang))) wanted.add(lang);
        if (await keepsKit(old, lang)) kits.add(lang);
      }
    }
    const cache = await caches.open(CACHE);
    await Promise.all([...wanted].map((lang) => precache(lang, cache)));
    await Promise.all([...kits].map((lang) => keepKit(lang, cache)));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("spotcheck-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page's "reload" button on the update notice; the takedown tracker's
// "keep the kit" (a link is tracked) and "drop it" (the tracker is empty).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "SKIP_WAITING") self.skipWaiting();
  if (data.type === "KEEP_KIT" && KIT[data.lang]) {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      if (!(await keepsKit(cache, data.lang))) await keepKit(data.lang, cache);
    })().catch(() => {})); // offline now: the page asks again on its next visit
  }
  if (data.type === "DROP_KIT") event.waitUntil(dropKit().catch(() => {}));
});

async function rememberLanguage(lang) {
  const cache = await caches.open(CACHE);
  await cache.put(LAST_LANGUAGE, new Response(lang));
}

async function lastLanguage() {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(LAST_LANGUAGE);
  return saved ? saved.text() : null;
}

// Responses that are the offline page standing in for the page asked for.
const FALLBACKS = new WeakSet();

// The offline page in the language asked for if this phone has it, else in the
// language the visitor was just reading, which it has.
async function offlineFallback(lang) {
  const cache = await caches.open(CACHE);
  let page = null;
  for (const candidate of [lang, await lastLanguage(), ...LANGUAGES]) {
    if (candidate && (page = await cache.match(offlinePage(candidate)))) break;
  }
  page = page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  FALLBACKS.add(page);
  return page;
}

// After a page in some language was really shown: remember the language, and
// on the first visit in it, save its pages for offline use too.
async function afterNavigation(lang) {
  await rememberLanguage(lang);
  if (!(await isPrecached(lang))) await precache(lang, await caches.open(CACHE));
}

function storable(response) {
  return response.ok && !/no-store/.test(response.headers.get("Cache-Control") || "");
}

// Checklists and the guide: from the cache at once, refreshed in the background.
async function staleWhileRevalidate(event, lang) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request).then(async (response) => {
    if (storable(response)) await cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => {}));
    return cached;
  }
  try {
    return await refresh;
  } catch {
    return (await cache.match(event.request, { ignoreSearch: true })) || offlineFallback(lang);
  }
}

// Other pages: the network first, then a saved copy, then the offline page.
// The offline page stands in for a page only: a part of one (the map's list,
// which htmx asks for) fails as it would without this worker, and htmx keeps
// the old list instead of swapping in nothing.
async function networkFirst(event, lang, rest) {
  try {
    return await fetch(event.request);
  } catch {
    const cache = await caches.open(CACHE);
    // The kit's page is kept without ?region= (the phone applies her region itself).
    const saved = await cache.match(event.request, { ignoreSearch: rest === "/takedown" });
    if (saved || event.request.mode !== "navigate") return saved || Response.error();
    return offlineFallback(lang);
  }
}

async function cacheFirst(event) {
  const cached = await caches.match(event.request);
  return cached || fetch(event.request);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const lang = languageOf(url);
  let rest = lang ? url.pathname.slice(ROOT.length + lang.length + 1) : url.pathname.slice(ROOT.length);
  // A mirror's page is a file: /en/found/index.html is /en/found.
  if (rest.endsWith("/index.html")) rest = rest.slice(0, -"/index.html".length) || "/";
  if (lang && rest === "/report" && event.request.mode === "navigate") {
    // Never stored; with no signal, the form's shell stands in, and what she
    // writes there waits in outbox.js's outbox.
    event.respondWith(fetch(event.request).catch(async () =>
      (await caches.match(REPORT_SHELLS[lang])) || offlineFallback(lang)));
    return;
  }
  if (NEVER_CACHED.some((path) => rest.startsWith(path))) return; // the network, untouched

  if (rest.startsWith("/static/")) {
    event.respondWith(cacheFirst(event));
    return;
  }
  if (!lang) return;
  const kept = rest.startsWith("/check/") || rest === "/found" || rest === "/lens" ||
    rest === "/notebook";
  const strategy = kept ? staleWhileRevalidate : networkFirst;
  event.respondWith((async () => {
    const response = await strategy(event, lang, rest);
    if (event.request.mode === "navigate" && !FALLBACKS.has(response)) {
      event.waitUntil(afterNavigation(lang).catch(() => {}));
    }
    return response;
  })());
});
