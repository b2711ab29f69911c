// The public map and the report form's location picker: Leaflet, fed by
// /api/v1/reports. Without JavaScript the map page is still the list page, with
// the same filters as a plain form; this only adds the map. No inline scripts:
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

  // ---- Leaflet ---------------------------------------------------------------
  // Leaflet cancels a tile it no longer needs by pointing it at a data: URL;
  // our CSP refuses that URL (a console message) and the old load stops all the same.
  box.textContent = ""; // the "needs JavaScript" message
  box.classList.add("map-live");
  // Zoom buttons at the bottom right, under the thumb of a phone held in one hand.
  const map = L.map(box, { worldCopyJump: true, minZoom: 2, zoomControl: false })
    .setView(onScreen(settings.start[0], settings.start[1]), settings.start[2]); // MAP_START is WGS-84
  L.control.zoom({ position: "bottomright" }).addTo(map);
  L.tileLayer(settings.tiles, {
    maxZoom: settings.maxZoom,
    attribution: settings.attribution,
    // Tile servers such as OpenStreetMap's ask for a Referer; "origin" sends
    // only this site's address, never the page or the filters.
    referrerPolicy: "origin",
  }).addTo(map);

  // ---- The picker: the report form's frame of this page ---------------------
  // The pin stays in the middle; she moves the map under it. Only the centre,
  // rounded to about 100 m here on the phone, goes back to the form (app.js).
  const pickLocation = () => {
    // The form passes the point already in its fields as #lat,lon.
    const start = location.hash.slice(1).split(",").map(Number);
    if (start.length === 2 && start.every(Number.isFinite) && Math.abs(start[0]) <= 90 && Math.abs(start[1]) <= 180) {
      map.setView(onScreen(start[0], start[1]), 16);
    }
    // Only our own page (the form around this frame) may hear the answer.
    const tell = (message) => window.parent.postMessage(message, location.origin);
    document.querySelector("[data-pick-use]").addEventListener("click", () => {
      const centre = map.getCenter();
      const [latitude, longitude] = onEarth(centre.lat, centre.lng);
      tell({ kind: "location", latitude: Number(latitude.toFixed(3)), longitude: Number(longitude.toFixed(3)) });
    });
    document.querySelector("[data-pick-cancel]").addEventListener("click", () => tell({ kind: "cancel" }));
  };

  if (box.hasAttribute("data-pick")) {
    pickLocation();
    return;
  }

  // ---- The public map ------------------------------------------------------
  // Every word shown comes from the page (app/map/views.py labels()), already
  // in its language; {n} and {date} are filled in here.
  const labels = JSON.parse(box.dataset.labels);
  const form = document.querySelector("[data-map-filters]");
  const status = document.querySelector("[data-map-status]");
  const layer = L.layerGroup().addTo(map);

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  // Both plural forms come from the page: [one, other] (Chinese gives the same twice).
  const plural = (forms, n) => fill(forms[n === 1 ? 0 : 1], { n });
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // text, never HTML
    return node;
  };

  // The chosen filters, as the form would send them; "view" belongs to the page, not the data.
  const filters = () => {
    const values = {};
    for (const [key, value] of new FormData(form)) {
      if (value && key !== "view") values[key] = value;
    }
    return values;
  };

  // "In the past N days" as the API's `since` date (the visitor's calendar is close enough).
  const since = (days) => new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);

  // The API's question: what is on screen now, in WGS-84, with the filters.
  const query = () => {
    const bounds = map.getBounds();
    // worldCopyJump lets the view run past ±180°; the API takes one world.
    const [south, west] = onEarth(bounds.getSouth(), Math.max(bounds.getWest(), -180));
    const [north, east] = onEarth(bounds.getNorth(), Math.min(bounds.getEast(), 180));
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(5);
    const params = new URLSearchParams({
      bbox: [clamp(west, 180), clamp(south, 90), clamp(east, 180), clamp(north, 90)].join(","),
      zoom: String(map.getZoom()),
    });
    const chosen = filters();
    if (chosen.space) params.set("space", chosen.space);
    if (chosen.what) params.set("what", chosen.what);
    if (chosen.within) params.set("since", since(Number(chosen.within)));
    return params;
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

  // A point's colour: the most serious thing reported there.
  const strongest = (properties) => ["found", "suspected", "filming"].find((what) => properties[what] > 0);

  const markerFor = (feature) => {
    const p = feature.properties;
    const cell = p.kind === "cell";
    const at = onScreen(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    const icon = element("span", `marker marker-${cell ? "cell" : strongest(p)}`,
      p.count > 1 || cell ? String(p.count) : "");
    // Cells grow a little with their count, so a busy area stands out.
    const size = cell ? 36 + Math.min(24, Math.round(Math.log10(p.count) * 8)) : 28;
    const marker = L.marker(at, {
      icon: L.divIcon({ html: icon, className: "map-icon", iconSize: [size, size], popupAnchor: [0, -size / 2] }),
      title: cell ? plural(labels.here, p.count) : labels.what[strongest(p)],
      keyboard: true,
    });
    if (cell) {
      // A cell holds too many reports for a popup: tapping it zooms in instead.
      marker.on("click", () => {
        const [west, south, east, north] = p.bounds;
        map.fitBounds([onScreen(south, west), onScreen(north, east)]);
      });
    } else {
      marker.bindPopup(() => popupFor(p), { maxWidth: 260, autoPanPadding: [12, 12] });
    }
    return marker;
  };

  // Markers drawn now, by place and content: a marker that is still right is
  // kept, so its open popup survives the map panning to show it.
  const drawn = new Map();

  const draw = (answer) => {
    const wanted = new Map(answer.features.map((feature) => [JSON.stringify([feature.geometry, feature.properties]), feature]));
    for (const [key, marker] of drawn) {
      if (!wanted.has(key)) {
        layer.removeLayer(marker);
        drawn.delete(key);
      }
    }
    for (const [key, feature] of wanted) {
      if (!drawn.has(key)) drawn.set(key, markerFor(feature).addTo(layer));
    }
    status.textContent = answer.total ? plural(labels.showing, answer.total) : labels.none;
  };

  // Each pan, zoom or filter asks again; an older question still on its way
  // is dropped, so a slow answer never draws over a newer one.
  let pendingPoints = null;

  const load = async () => {
    if (pendingPoints) pendingPoints.abort();
    pendingPoints = new AbortController();
    status.textContent = labels.loading;
    try {
      // No cookies: the API is public and the same for everyone.
      const response = await fetch(`${settings.api}?${query()}`, { signal: pendingPoints.signal, credentials: "omit" });
      if (!response.ok) throw new Error(String(response.status));
      draw(await response.json());
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = labels.failed;
    }
  };

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
  map.on("moveend", load);
  load();
})();
