/* The public map: Leaflet, fed by /api/v1/reports.
 *
 * Report data only ever reaches the page through textContent and text nodes,
 * never as HTML, so a venue named "<img onerror=...>" is shown as those
 * characters. The filters form stays a plain GET form; here it also redraws
 * the map, the list below it and the address bar without a reload. */
(function () {
  "use strict";
  var box = document.querySelector("[data-map]");
  if (!box || !window.L) return;
  var settings = JSON.parse(box.dataset.settings);
  // Providers drawing China in GCJ-02 need points shifted to sit on their streets.
  var gcj = settings.coordinates === "gcj02" ? window.SpotCheckGcj02 : null;
  var onScreen = function (lat, lon) { return gcj ? gcj.toGcj02(lat, lon) : [lat, lon]; };
  var onEarth = function (lat, lon) { return gcj ? gcj.fromGcj02(lat, lon) : [lat, lon]; };

  // Leaflet cancels a tile it no longer needs by pointing it at a data: URL;
  // our CSP refuses that URL (a console message) and the old load stops all the same.
  box.textContent = ""; // the "needs JavaScript" message
  box.classList.add("map-live");
  // Zoom buttons at the bottom right, under the thumb of a phone held in one hand.
  var map = L.map(box, { worldCopyJump: true, minZoom: 2, zoomControl: false })
    .setView(onScreen(settings.start[0], settings.start[1]), settings.start[2]); // MAP_START is WGS-84
  L.control.zoom({ position: "bottomright" }).addTo(map);
  L.tileLayer(settings.tiles, {
    maxZoom: settings.maxZoom,
    attribution: settings.attribution,
    // Tile servers such as OpenStreetMap's ask for a Referer; "origin" sends
    // only this site's address, never the page or the filters.
    referrerPolicy: "origin",
  }).addTo(map);

  if (box.hasAttribute("data-pick")) {
    pickLocation();
    return;
  }

  // ---- The picker: the report form's frame of this page ---------------------
  // The pin stays in the middle; she moves the map under it. Only the centre,
  // rounded to about 100 m here on the phone, goes back to the form.
  function pickLocation() {
    var start = location.hash.slice(1).split(",").map(Number);
    if (start.length === 2 && start.every(isFinite) && Math.abs(start[0]) <= 90 && Math.abs(start[1]) <= 180) {
      map.setView(onScreen(start[0], start[1]), 16);
    }
    var tell = function (message) { window.parent.postMessage(message, location.origin); };
    document.querySelector("[data-pick-use]").addEventListener("click", function () {
      var centre = map.getCenter();
      var point = onEarth(centre.lat, centre.lng);
      tell({ kind: "location", latitude: Number(point[0].toFixed(3)), longitude: Number(point[1].toFixed(3)) });
    });
    document.querySelector("[data-pick-cancel]").addEventListener("click", function () { tell({ kind: "cancel" }); });
  }

  // ---- The public map ------------------------------------------------------
  var labels = JSON.parse(box.dataset.labels);
  var form = document.querySelector("[data-map-filters]");
  var status = document.querySelector("[data-map-status]");
  var layer = L.layerGroup().addTo(map);
  var pending = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  function plural(forms, n) { return fill(forms[n === 1 ? 0 : 1], { n: n }); }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function filters() {
    var values = {};
    new FormData(form).forEach(function (value, key) { if (value && key !== "view") values[key] = value; });
    return values;
  }

  function since(days) {
    var day = new Date(Date.now() - days * 86400000);
    return day.toISOString().slice(0, 10);
  }

  function query() {
    var bounds = map.getBounds();
    var sw = onEarth(bounds.getSouth(), Math.max(bounds.getWest(), -180));
    var ne = onEarth(bounds.getNorth(), Math.min(bounds.getEast(), 180));
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
    var params = new URLSearchParams({
      bbox: [clamp(sw[1], 180), clamp(sw[0], 90), clamp(ne[1], 180), clamp(ne[0], 90)].join(","),
      zoom: String(map.getZoom()),
    });
    var chosen = filters();
    if (chosen.space) params.set("space", chosen.space);
    if (chosen.what) params.set("what", chosen.what);
    if (chosen.within) params.set("since", since(Number(chosen.within)));
    return params;
  }

  function popupFor(properties) {
    var content = element("div", "map-popup");
    content.appendChild(element("p", "map-popup-count", plural(labels.here, properties.count)));
    var list = element("ul");
    properties.reports.forEach(function (report) {
      var item = element("li");
      if (report.venue) item.appendChild(element("strong", "map-popup-line", report.venue));
      item.appendChild(element("span", "map-popup-line", labels.what[report.what] + " · " + labels.spaces[report.space]));
      [report.city, report.device && labels.devices[report.device]]
        .filter(Boolean).forEach(function (text) { item.appendChild(element("span", "map-popup-line", text)); });
      if (report.observed_on) item.appendChild(element("span", "map-popup-line", fill(labels.seen, { date: report.observed_on })));
      item.appendChild(element("span", "map-popup-line note", fill(labels.published, { date: report.published_on })));
      if (report.note) item.appendChild(element("span", "map-popup-line", labels.note + " " + report.note));
      list.appendChild(item);
    });
    content.appendChild(list);
    var rest = properties.count - properties.reports.length;
    if (rest > 0) content.appendChild(element("p", "note", plural(labels.more, rest)));
    return content;
  }

  function strongest(properties) {
    return ["found", "suspected", "filming"].filter(function (what) { return properties[what] > 0; })[0];
  }

  // Markers drawn now, by place and content: a marker that is still right is
  // kept, so its open popup survives the map panning to show it.
  var drawn = new Map();

  function draw(answer) {
    var wanted = new Map();
    answer.features.forEach(function (feature) {
      wanted.set(JSON.stringify([feature.geometry, feature.properties]), feature);
    });
    drawn.forEach(function (marker, key) {
      if (!wanted.has(key)) { layer.removeLayer(marker); drawn.delete(key); }
    });
    wanted.forEach(function (feature, key) {
      if (!drawn.has(key)) drawn.set(key, markerFor(feature).addTo(layer));
    });
    status.textContent = answer.total ? plural(labels.showing, answer.total) : labels.none;
  }

  function markerFor(feature) {
    var p = feature.properties;
    var at = onScreen(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    var icon = element("span", "marker marker-" + (p.kind === "cell" ? "cell" : strongest(p)),
      p.count > 1 || p.kind === "cell" ? String(p.count) : "");
    var size = p.kind === "cell" ? 36 + Math.min(24, Math.round(Math.log10(p.count) * 8)) : 28;
    var marker = L.marker(at, {
      icon: L.divIcon({ html: icon, className: "map-icon", iconSize: [size, size], popupAnchor: [0, -size / 2] }),
      title: p.kind === "cell" ? plural(labels.here, p.count) : labels.what[strongest(p)],
      keyboard: true,
    });
    if (p.kind === "cell") {
      marker.on("click", function () {
        var b = p.bounds;
        var sw = onScreen(b[1], b[0]);
        var ne = onScreen(b[3], b[2]);
        map.fitBounds([sw, ne]);
      });
    } else {
      marker.bindPopup(function () { return popupFor(p); }, { maxWidth: 260, autoPanPadding: [12, 12] });
    }
    return marker;
  }

  function load() {
    if (pending) pending.abort();
    pending = new AbortController();
    status.textContent = labels.loading;
    fetch(settings.api + "?" + query(), { signal: pending.signal, credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(draw)
      .catch(function (error) { if (error.name !== "AbortError") status.textContent = labels.failed; });
  }

  function applyFilters() {
    var params = new URLSearchParams(filters());
    var address = location.pathname + (String(params) ? "?" + params : "");
    history.replaceState(null, "", address);
    load();
    refreshList(address);
  }

  // The list below the map, as the server renders it for the same address.
  // The whole section is replaced with nodes parsed from our own escaped HTML.
  function refreshList(address) {
    fetch(address, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("map-list");
        var current = document.getElementById("map-list");
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { /* the old list stays; the map above is already right */ });
  }

  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (event) { event.preventDefault(); applyFilters(); });
  map.on("moveend", load);
  load();
})();
