// The public map and the report form's location picker: Leaflet, fed by
// /api/v1/reports. Without JavaScript the map page is still the list page, with
// the same filters as a plain form; this only adds the map, once she agrees to
// the tile server seeing her address (remembered on the phone). No inline scripts:
// the CSP forbids them, so everything the script needs is read from the page.
//
// Report data only ever reaches the page through textContent and text nodes,
// never as HTML, so a venue named "<img onerror=...>" is shown as those
// characters. The list below the map is HTML, but only ever our own, escaped
// by the server's templates.
"use strict";

// One function around everything: app.js runs on the same page, and classic
// scripts share one global scope, so nothing here may be declared at the top.
(() => {
  const box = document.querySelector("[data-map]");
  if (!box || !window.L) return;
  const settings = JSON.parse(box.dataset.settings);

  // Providers drawing China in GCJ-02 need points shifted to sit on their
  // streets. The server and its API only ever speak WGS-84.
  const gcj = settings.coordinates === "gcj02" ? window.SpotCheckGcj02 : null;
  const onScreen = (lat, lon) => (gcj ? gcj.toGcj02(lat, lon) : [lat, lon]);
  const onEarth = (lat, lon) => (gcj ? gcj.fromGcj02(lat, lon) : [lat, lon]);

  // ---- Cities ---------------------------------------------------------------
  // A list bundled with the site (static/data/cities.json: names in English and
  // both Chinese scripts, with coordinates), fetched from this site only when
  // needed. What she typed is matched here, on the phone; it goes nowhere.
  let cityList = null;
  const cities = () => {
    cityList ??= fetch(settings.cities, { credentials: "omit" })
      .then((response) => (response.ok ? response.json() : { cities: [] }))
      .then((data) => data.cities)
      .catch(() => []);
    return cityList;
  };
  // [English, Simplified, Traditional, latitude, longitude, other spellings…]
  const namesOf = (city) => [city[0], city[1], city[2], ...city.slice(5)];
  // Letters and digits only, lower case, accents and "(Zhejiang)" dropped:
  // "Xi'an" is "xian", "São Paulo" is "saopaulo".
  const simplify = (text) => text.toLowerCase().normalize("NFKD").replace(/\(.*?\)/g, "")
    .replace(/[^\p{L}\p{N}]/gu, "");
  // The city whose name appears earliest in what she typed ("深圳市南山区" holds
  // 深圳; the longer name wins a tie, so "Dalian" is not "Dali"), else the
  // first whose name starts with it ("Kuala" for Kuala Lumpur).
  const findCity = (list, typed) => {
    const wanted = simplify(typed);
    if (!wanted) return null;
    let best = null;
    for (const city of list) {
      for (const key of namesOf(city).map(simplify)) {
        const at = key ? wanted.indexOf(key) : -1;
        if (at >= 0 && (!best || at < best.at || (at === best.at && key.length > best.length))) {
          best = { city, at, length: key.length };
        }
      }
    }
    if (best) return best.city;
    if (wanted.length < 2) return null;
    return list.find((city) => namesOf(city).some((name) => simplify(name).startsWith(wanted))) || null;
  };
  // The name to show in this page's language.
  const script = document.documentElement.lang.startsWith("zh-Hans") ? 1
    : document.documentElement.lang.startsWith("zh") ? 2 : 0;

  // ---- Leaflet ---------------------------------------------------------------
  // Leaflet's stylesheet comes with the page as media="print" (maps/_scripts.html),
  // so it never holds back the first paint of the words and the list; it is
  // switched on here, and the map is built once it has arrived.
  const leafletStyles = () => new Promise((resolve) => {
    const link = document.querySelector("link[data-leaflet-css]");
    if (!link) {
      resolve();
      return;
    }
    link.media = "all";
    if (link.sheet) {
      resolve();
      return;
    }
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true }); // a map without its styles beats none
  });
  // Each step of drawing the map is a task of its own: a slow phone stays
  // responsive to her taps (issue 19: no task over 50 ms).
  const nextTask = () => (window.scheduler?.yield ? window.scheduler.yield()
    : new Promise((resolve) => setTimeout(resolve, 0)));

  // The map in steps, each a task of its own (Leaflet's first calls are slow on
  // a slow phone): the map, its start view, then `withMap` (the public map
  // draws its first markers there: what she came for, so they go first, but
  // the tiles wait 2 s at most), then the zoom buttons, then the tiles.
  // Leaflet cancels a tile it no longer needs by pointing it at a data: URL;
  // our CSP refuses that URL (a console message) and the old load stops all the same.
  const startMap = async (withMap = async () => {}) => {
    await leafletStyles();
    await nextTask();
    box.textContent = ""; // the "needs JavaScript" message
    box.hidden = false;
    box.classList.add("map-live");
    const map = L.map(box, { worldCopyJump: true, minZoom: 2, zoomControl: false });
    await nextTask();
    map.setView(onScreen(settings.start[0], settings.start[1]), settings.start[2]); // MAP_START is WGS-84
    await nextTask();
    await Promise.race([withMap(map), new Promise((resolve) => setTimeout(resolve, 2000))]);
    await nextTask();
    // Zoom buttons at the bottom right, under the thumb of a phone held in one hand.
    L.control.zoom({ position: "bottomright" }).addTo(map);
    await nextTask();
    L.tileLayer(settings.tiles, {
      maxZoom: settings.maxZoom,
      attribution: settings.attribution,
      // Tile servers such as OpenStreetMap's ask for a Referer; "origin" sends
      // only this site's address, never the page or the filters.
      referrerPolicy: "origin",
    }).addTo(map);
    return map;
  };

  const labels = JSON.parse(box.dataset.labels);
  // Her position, rounded by nobody: it only moves the map, and only the map's
  // centre, rounded, ever leaves this page (the picker's answer).
  const whereIAm = () => new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error("no geolocation"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve([position.coords.latitude, position.coords.longitude]),
      reject, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
  // True only if she already let this site know where she is: never a prompt.
  const alreadyAllowed = async () => {
    try {
      return (await navigator.permissions.query({ name: "geolocation" })).state === "granted";
    } catch {
      return false;
    }
  };

  // ---- The picker: the report form's frame of this page ---------------------
  // The pin stays in the middle; she moves the map under it. Only the centre,
  // rounded to about 100 m here on the phone, goes back to the form (app.js).
  // It opens where she is (if she already allowed it), else at the city typed
  // in the form, and takes no place she has not chosen: the map's first view
  // is a guess, not an answer.
  const pickLocation = (map) => {
    const use = document.querySelector("[data-pick-use]");
    const status = document.querySelector("[data-pick-status]");
    const here = document.querySelector("[data-pick-here]");
    let chosen = false;
    let ours = false; // a move made here, not by her
    const choose = () => {
      chosen = true;
      use.removeAttribute("aria-disabled");
      status.textContent = "";
    };
    const place = ([lat, lon], zoom, hers) => {
      ours = true;
      map.setView(onScreen(lat, lon), zoom, { animate: false });
      ours = false;
      if (hers) choose();
    };
    map.on("movestart", () => { if (!ours) choose(); });
    // A tap brings the pin to the place tapped.
    map.on("click", (event) => map.panTo(event.latlng));
    use.setAttribute("aria-disabled", "true");

    // The whole frame in view: its buttons must not hide below the form's screen.
    try {
      window.frameElement?.scrollIntoView({ block: "nearest" });
    } catch {
      // Not in a frame of ours: nothing to scroll.
    }

    // The form passes the point already in its fields as #lat,lon: her choice.
    const start = location.hash.slice(1).split(",").map(Number);
    if (start.length === 2 && start.every(Number.isFinite) && Math.abs(start[0]) <= 90 && Math.abs(start[1]) <= 180) {
      place(start, 16, true);
    } else {
      (async () => {
        if (await alreadyAllowed()) {
          try {
            const position = await whereIAm();
            if (!chosen) place(position, 16, false);
            return;
          } catch {
            // No fix: the city, then.
          }
        }
        let typed = "";
        try {
          // The form around this frame is our own page (same origin).
          typed = window.parent === window ? "" : window.parent.document.querySelector("[name=city]")?.value || "";
        } catch {
          typed = "";
        }
        const city = typed && findCity(await cities(), typed);
        if (city && !chosen) place([city[3], city[4]], 12, false);
      })();
    }

    if ("geolocation" in navigator) here.hidden = false;
    here.addEventListener("click", async () => {
      status.textContent = labels.locating;
      try {
        place(await whereIAm(), 16, true);
      } catch {
        status.textContent = labels.noLocation;
      }
    });

    // Only our own page (the form around this frame) may hear the answer.
    const tell = (message) => window.parent.postMessage(message, location.origin);
    use.addEventListener("click", () => {
      if (!chosen) {
        status.textContent = labels.moveFirst;
        return;
      }
      const centre = map.getCenter();
      const [latitude, longitude] = onEarth(centre.lat, centre.lng);
      tell({ kind: "location", latitude: Number(latitude.toFixed(3)), longitude: Number(longitude.toFixed(3)) });
    });
    document.querySelector("[data-pick-cancel]").addEventListener("click", () => tell({ kind: "cancel" }));
  };

  if (box.hasAttribute("data-pick")) {
    startMap().then(pickLocation);
    return;
  }

  // ---- The public map ------------------------------------------------------
  // Every word shown comes from the page (app/map/views.py labels()), already
  // in its language; {n} and {date} are filled in here. The API's question,
  // and the first view already asked for, come from map-question.js.
  const asking = window.SpotCheckMapQuestion;
  if (!asking) return;
  const form = document.querySelector("[data-map-filters]");
  const status = document.querySelector("[data-map-status]");
  // Drawn only once she agreed to the tiles (see "Her consent" below).
  let map = null;
  let layer = null;

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  // Both plural forms come from the page: [one, other] (Chinese gives the same twice).
  const plural = (forms, n) => fill(forms[n === 1 ? 0 : 1], { n });
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // text, never HTML
    return node;
  };

  const { filters, question } = asking;

  // What is on screen now.
  const query = () => {
    const bounds = map.getBounds();
    // worldCopyJump lets the view run past ±180°; the API takes one world.
    const [south, west] = onEarth(bounds.getSouth(), Math.max(bounds.getWest(), -180));
    const [north, east] = onEarth(bounds.getNorth(), Math.min(bounds.getEast(), 180));
    return question(west, south, east, north, map.getZoom());
  };

  const popupFor = (properties) => {
    const content = element("div", "map-popup");
    content.append(element("p", "map-popup-count", plural(labels.here, properties.count)));
    const list = element("ul");
    for (const report of properties.reports) {
      const item = element("li");
      const line = (text, className = "map-popup-line") => item.append(element("span", className, text));
      if (report.venue) item.append(element("strong", "map-popup-line", report.venue));
      line(`${labels.what[report.what]} · ${labels.spaces[report.space]}`);
      if (report.city) line(report.city);
      if (report.device && labels.devices[report.device]) line(labels.devices[report.device]);
      if (report.observed_on) line(fill(labels.seen, { date: report.observed_on }));
      line(fill(labels.published, { date: report.published_on }), "map-popup-line note");
      if (report.note) line(`${labels.note} ${report.note}`);
      list.append(item);
    }
    content.append(list);
    // The API sends a few reports per point; the list below has them all.
    const rest = properties.count - properties.reports.length;
    if (rest > 0) content.append(element("p", "note", plural(labels.more, rest)));
    return content;
  };

  // ---- A tap on a cell: straight to its reports ---------------------------------
  // A cell only knows its count and its square. Asking the API about that
  // square at the finest zoom splits it into cells 16 times smaller (or its
  // points, once the square is small enough); one sub-cell alone is asked
  // about again. So a few quick questions find either the one grid point the
  // cell holds, or the area its reports cover, and the map goes there in one move.
  const EDGE = 1e-5; // about a metre: a square's edge belongs to its neighbour
  const FINEST = 20; // the API's highest zoom: the smallest cells it gives
  const extentOf = (features) => {
    const lats = features.map((f) => f.geometry.coordinates[1]);
    const lons = features.map((f) => f.geometry.coordinates[0]);
    return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  };
  const lookInside = async (bounds) => {
    let [west, south, east, north] = bounds;
    for (let step = 0; step < 6; step++) {
      const params = question(west + EDGE, south + EDGE, east - EDGE, north - EDGE, FINEST);
      const response = await fetch(`${settings.api}?${params}`, { credentials: "omit" });
      if (!response.ok) break;
      const answer = await response.json();
      const features = answer.features;
      if (!features.length) break;
      if (features.length > 1) return { extent: extentOf(features) };
      if (answer.mode === "points") return { point: features[0] };
      [west, south, east, north] = features[0].properties.bounds;
    }
    return { extent: [west, south, east, north] };
  };

  const openPoint = (feature) => {
    const at = onScreen(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    map.setView(at, Math.max(map.getZoom(), 16));
    L.popup({ maxWidth: 260, autoPanPadding: [12, 12] }).setLatLng(at)
      .setContent(popupFor(feature.properties)).openOn(map);
  };

  const showInside = async (bounds) => {
    let found;
    try {
      found = await lookInside(bounds);
    } catch {
      found = { extent: bounds }; // offline: at least zoom in on the square
    }
    if (found.point) {
      openPoint(found.point);
      return;
    }
    const [west, south, east, north] = found.extent;
    // Padding keeps the outer reports' markers (44 px) wholly on screen.
    map.fitBounds([onScreen(south, west), onScreen(north, east)], { padding: [48, 48], maxZoom: 17 });
  };

  // A point's colour: the most serious thing reported there.
  const strongest = (properties) => ["found", "suspected", "filming"].find((what) => properties[what] > 0);

  const TARGET = 44; // px: the smallest marker a thumb can hit
  const markerFor = (feature) => {
    const p = feature.properties;
    const cell = p.kind === "cell";
    const at = onScreen(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    const icon = element("span", `marker marker-${cell ? "cell" : strongest(p)}`,
      p.count > 1 || cell ? String(p.count) : "");
    // Every marker is a 44 px target (a point's dot is drawn smaller inside it);
    // cells grow a little with their count, so a busy area stands out.
    const size = cell ? TARGET + Math.min(20, Math.round(Math.log10(p.count) * 8)) : TARGET;
    const marker = L.marker(at, {
      icon: L.divIcon({ html: icon, className: "map-icon", iconSize: [size, size], popupAnchor: [0, -size / 2] }),
      title: cell ? plural(labels.here, p.count) : labels.what[strongest(p)],
      keyboard: true,
    });
    if (cell) {
      marker.on("click", () => showInside(p.bounds));
    } else {
      marker.bindPopup(() => popupFor(p), { maxWidth: 260, autoPanPadding: [12, 12] });
    }
    return marker;
  };

  // Markers drawn now, by place and content: a marker that is still right is
  // kept, so its open popup survives the map panning to show it.
  const drawn = new Map();

  // An answer holds up to 500 features: on a slow phone, drawing them all in
  // one go took a quarter of a second. So markers go on in slices of a few
  // milliseconds, each slice a task of its own; a newer answer stops the older
  // one's drawing (`stale`), and what it left is tidied away by the next draw.
  const SLICE_MS = 8;
  const draw = async (answer, stale) => {
    const wanted = new Map(answer.features.map((feature) => [JSON.stringify([feature.geometry, feature.properties]), feature]));
    let sliceStart = performance.now();
    const pause = async () => {
      if (performance.now() - sliceStart < SLICE_MS) return false;
      await nextTask();
      sliceStart = performance.now();
      return stale();
    };
    for (const [key, marker] of drawn) {
      if (!wanted.has(key)) {
        layer.removeLayer(marker);
        drawn.delete(key);
        if (await pause()) return;
      }
    }
    for (const [key, feature] of wanted) {
      if (!drawn.has(key)) {
        drawn.set(key, markerFor(feature).addTo(layer));
        if (await pause()) return;
      }
    }
    status.textContent = answer.total ? plural(labels.showing, answer.total) : labels.none;
  };

  // Each pan, zoom or filter asks again; an older question still on its way
  // is dropped, so a slow answer never draws over a newer one.
  let pendingPoints = null;
  // The first view's answer, asked for before Leaflet arrived: used once, if
  // the map's first question is the same one.
  let early = asking.first;
  asking.taken = true;

  const load = async () => {
    if (!map) return;
    if (pendingPoints) pendingPoints.abort();
    const mine = new AbortController();
    pendingPoints = mine;
    status.textContent = labels.loading;
    const params = query();
    const asked = early?.params === String(params) ? early.answer : null;
    early = null;
    try {
      let answer = asked && await asked.catch(() => null);
      if (mine.signal.aborted) return;
      if (!answer) {
        // No cookies: the API is public and the same for everyone.
        const response = await fetch(`${settings.api}?${params}`, { signal: mine.signal, credentials: "omit" });
        if (!response.ok) throw new Error(String(response.status));
        answer = await response.json();
      }
      await draw(answer, () => mine.signal.aborted);
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = labels.failed;
    }
  };

  // ---- Near me, or in my city ------------------------------------------------
  const shortcutStatus = document.querySelector("[data-map-shortcut-status]");
  const goTo = ([lat, lon], zoom) => map.setView(onScreen(lat, lon), zoom);

  document.querySelector("[data-map-near-me]").addEventListener("click", async () => {
    shortcutStatus.textContent = labels.locating;
    try {
      goTo(await whereIAm(), 14);
      shortcutStatus.textContent = "";
    } catch {
      shortcutStatus.textContent = labels.noLocation;
    }
  });

  const cityForm = document.querySelector("[data-map-city]");
  const cityField = cityForm.querySelector("input");
  // The suggestions, in the page's language, once she starts on the field.
  cityField.addEventListener("focus", async () => {
    const suggestions = document.getElementById(cityField.getAttribute("list"));
    if (suggestions.childElementCount) return;
    for (const city of await cities()) suggestions.append(new Option(city[script]));
  }, { once: true });
  cityForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const city = findCity(await cities(), cityField.value);
    if (!city) {
      shortcutStatus.textContent = labels.noCity;
      return;
    }
    shortcutStatus.textContent = "";
    goTo([city[3], city[4]], 12);
  });

  // ---- Her consent -------------------------------------------------------------
  // The tiles come from another host, which sees her address: nothing is asked
  // of it before she says yes. The phone remembers the answer (localStorage,
  // never sent anywhere); until then, the list below is the page.
  const CONSENT = "spotcheck.map-tiles";
  const remembered = () => {
    try {
      return localStorage.getItem(CONSENT) === "yes";
    } catch {
      return false; // storage blocked: ask each time
    }
  };
  const remember = (yes) => {
    try {
      if (yes) localStorage.setItem(CONSENT, "yes");
      else localStorage.removeItem(CONSENT);
    } catch {
      // Storage blocked: the choice lasts for this page only.
    }
  };
  // What shows for each answer is the stylesheet's (html[data-map-tiles], set
  // before the first paint by map-choice.js); here it only changes with her answer.
  const showMap = () => {
    document.documentElement.dataset.mapTiles = "yes";
    // The markers before the tiles: they are what she came for.
    startMap((shown) => {
      map = shown;
      layer = L.layerGroup().addTo(map);
      map.on("moveend", load);
      return load();
    });
  };

  document.querySelector("[data-map-consent-yes]").addEventListener("click", () => {
    remember(true);
    showMap();
    box.focus({ preventScroll: true });
  });
  document.querySelector("[data-map-hide]").addEventListener("click", () => {
    remember(false);
    location.reload();
  });

  if (remembered()) {
    showMap();
  } else {
    document.documentElement.dataset.mapTiles = "ask";
  }

  // ---- The list below the map -----------------------------------------------
  // The server renders it (templates/maps/_list.html) for the same address the
  // page has; HX-Request asks for that fragment alone, as htmx would (this page
  // does not load htmx). The response says Vary: HX-Request, so no cache mixes
  // the fragment up with the page.
  let pendingList = null;

  const refreshList = async (address) => {
    if (pendingList) pendingList.abort();
    pendingList = new AbortController();
    try {
      const response = await fetch(address, {
        signal: pendingList.signal, credentials: "omit", headers: { "HX-Request": "true" },
      });
      if (!response.ok) return;
      // Parsed into an inert document: nothing in it runs or loads. Only the
      // list itself is taken (offline, the service worker answers with its offline page).
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("map-list");
      const current = document.getElementById("map-list");
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    } catch {
      // Offline, or overtaken by a newer filter: the old list stays; the map above is already right.
    }
  };

  // ---- Filters ---------------------------------------------------------------
  // The form stays a plain GET form; here a change redraws the map, the list
  // and the address bar (so the view can be shared or reloaded) without a reload.
  const applyFilters = () => {
    const params = new URLSearchParams(filters());
    const address = location.pathname + (String(params) ? `?${params}` : "");
    history.replaceState(null, "", address);
    load();
    refreshList(address);
  };

  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
})();
