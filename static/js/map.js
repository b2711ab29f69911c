// The public map (templates/maps/page.html): Leaflet, fed by /api/v1/reports.
// Without JavaScript the map page is still the list page, with the same
// filters as a plain form; this only adds the map, once she agrees to the tile
// server seeing her address (remembered on the phone). No inline scripts: the
// CSP forbids them, so everything the script needs is read from the page.
//
// Report data only ever reaches the page through textContent and text nodes,
// never as HTML, so a venue named "<img onerror=...>" is shown as those
// characters. The list below the map is HTML, but only ever our own, escaped
// by the server's templates, and htmx swaps it in (the form's data-hx-*).
//
// Every word shown comes from the page (app/map/views.py labels()), already
// in its language; {n} and {date} are filled in here. The API's question,
// and the first view already asked for, come from map-question.js.
import { asking } from "./map-question.js";
import { cities, cityName, findCity, whereIAm } from "./places.js";
import { nextTask, projection, startMap } from "./tiles.js";
import { write } from "./storage.js";

const box = document.querySelector("[data-map]:not([data-pick])");
const form = document.querySelector("[data-map-filters]");
if (box && form && window.L) showPublicMap(box, form);

async function showPublicMap(box, form) {
  const settings = JSON.parse(box.dataset.settings);
  const labels = JSON.parse(box.dataset.labels);
  // A report's public page, but its id: in this language, or on a mirror the primary's.
  const reportPage = box.dataset.reportPage;
  const { onScreen, onEarth } = await projection(settings);
  const status = document.querySelector("[data-map-status]");
  // A mirror (issue 32): the answers are static files, by level and square
  // (app/mirror/mapdata.py), not the API's; there are no filters there.
  const fixed = box.dataset.static ? JSON.parse(box.dataset.static) : null;

  // Drawn only once she agreed to the tiles (see "Her consent" below).
  let map = null;
  let layer = null;
  // How many reports the map shows in its part of the world; null while it asks.
  let shownHere = null;

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
      if (labels.levels[report.verification]) line(labels.levels[report.verification], `map-popup-line level level-${report.verification}`);
      if (report.city) line(report.city);
      if (report.device && labels.devices[report.device]) line(labels.devices[report.device]);
      if (report.observed_on) line(fill(labels.seen, { date: report.observed_on }));
      line(fill(labels.published, { date: report.published_on }), "map-popup-line note");
      if (report.note) line(`${labels.note} ${report.note}`);
      // Its public page, where the place can respond (app/replies/; the list's link).
      if (reportPage && /^[0-9a-f]{16}$/.test(report.public_id)) {
        const link = element("a", "map-popup-link", labels.details);
        link.href = reportPage + report.public_id;
        item.append(link);
      }
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
    if (fixed) return { extent: bounds }; // a mirror's files: closer in, finer ones
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

  // ---- A mirror's files -------------------------------------------------------
  // Each level's index names the squares that have reports; each square's file
  // is kept once fetched, and a failed one is asked again next time.
  const fetched = new Map();
  const json = (url) => {
    if (!fetched.has(url)) {
      const answer = fetch(url, { credentials: "omit" }).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
      answer.catch(() => fetched.delete(url));
      fetched.set(url, answer);
    }
    return fetched.get(url);
  };
  // Web Mercator tile numbers at zoom z, as the files are cut.
  const tileX = (lon, n) => Math.min(n - 1, Math.max(0, Math.floor((lon + 180) / 360 * n)));
  const tileY = (lat, n) => {
    const r = Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI / 180;
    return Math.min(n - 1, Math.max(0, Math.floor((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2 * n)));
  };
  const fromFiles = async () => {
    const zoom = map.getZoom();
    const [level, fileZoom] = fixed.levels.filter(([l]) => l <= zoom).pop() || fixed.levels[0];
    const folder = `${fixed.root}z${level}/`;
    const squares = new Set((await json(`${folder}index.json`)).files);
    const bounds = map.getBounds();
    const [south, west] = onEarth(bounds.getSouth(), Math.max(bounds.getWest(), -180));
    const [north, east] = onEarth(bounds.getNorth(), Math.min(bounds.getEast(), 180));
    const n = 2 ** fileZoom;
    const wanted = [];
    for (let x = tileX(west, n); x <= tileX(east, n); x++) {
      for (let y = tileY(north, n); y <= tileY(south, n); y++) {
        if (squares.has(`${x}-${y}`)) wanted.push(json(`${folder}${x}-${y}.geojson`));
      }
    }
    const features = (await Promise.all(wanted)).flatMap((answer) => answer.features)
      .filter(({ geometry: { coordinates: [lon, lat] } }) => lon >= west && lon <= east && lat >= south && lat <= north);
    return { features, total: features.reduce((sum, f) => sum + f.properties.count, 0) };
  };

  // A point's colour: the most serious thing reported there.
  const strongest = (properties) => ["found", "suspected", "filming"].find((what) => properties[what] > 0);
  // Its ring or sign: the strongest claim made there (labels.levelOrder; map.css).
  const levelOf = (properties) => labels.levelOrder.find((level) => properties.verification?.[level] > 0);

  const TARGET = 44; // px: the smallest marker a thumb can hit
  const markerFor = (feature) => {
    const p = feature.properties;
    const cell = p.kind === "cell";
    const at = onScreen(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    const level = cell ? null : levelOf(p);
    const icon = element("span", `marker marker-${cell ? "cell" : strongest(p)}${level ? ` level-${level}` : ""}`,
      p.count > 1 || cell ? String(p.count) : "");
    // Every marker is a 44 px target (a point's dot is drawn smaller inside it);
    // cells grow a little with their count, so a busy area stands out.
    const size = cell ? TARGET + Math.min(20, Math.round(Math.log10(p.count) * 8)) : TARGET;
    const marker = L.marker(at, {
      icon: L.divIcon({ html: icon, className: "map-icon", iconSize: [size, size], popupAnchor: [0, -size / 2] }),
      title: cell ? plural(labels.here, p.count) : level ? `${labels.what[strongest(p)]} · ${labels.levels[level]}` : labels.what[strongest(p)],
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
    shownHere = answer.total;
    sayShown();
  };

  // "None in this part of the map" only above an empty list: the list may hold
  // reports the map cannot show (no location) or that are elsewhere, and the line
  // read as if they did not exist. Said again when htmx swaps in another list.
  const sayShown = () => {
    if (shownHere === null) return;
    const listed = document.querySelector("#map-list .list-report");
    status.textContent = shownHere ? plural(labels.showing, shownHere) : listed ? "" : labels.none;
  };
  document.body.addEventListener("htmx:afterSettle", sayShown);

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
    shownHere = null;
    status.textContent = labels.loading;
    const params = query();
    const asked = early?.params === String(params) ? early.answer : null;
    early = null;
    try {
      let answer = asked && await asked.catch(() => null);
      if (mine.signal.aborted) return;
      if (!answer && fixed) answer = await fromFiles();
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
    for (const city of await cities(settings.cities)) suggestions.append(new Option(city[cityName]));
  }, { once: true });
  cityForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const city = findCity(await cities(settings.cities), cityField.value);
    if (!city) {
      shortcutStatus.textContent = labels.noCity;
      return;
    }
    shortcutStatus.textContent = "";
    goTo([city[3], city[4]], 12);
  });

  // ---- Her consent -------------------------------------------------------------
  // The tiles come from another host, which sees her address: nothing is asked
  // of it before she says yes. The phone remembers the answer (storage.js, never
  // sent anywhere; "map-tiles", which map-choice.js reads before the first paint);
  // until then, the list below is the page. What shows for each answer is the
  // stylesheet's (html[data-map-tiles], set by map-choice.js); here it only
  // changes with her answer.
  const showMap = () => {
    document.documentElement.dataset.mapTiles = "yes";
    // The markers before the tiles: they are what she came for.
    startMap(box, settings, (shown) => {
      map = shown;
      layer = L.layerGroup().addTo(map);
      map.on("moveend", load);
      return load();
    });
  };

  document.querySelector("[data-map-consent-yes]").addEventListener("click", () => {
    write("map-tiles", "yes"); // refused: the choice lasts for this page only
    showMap();
    box.focus({ preventScroll: true });
  });
  document.querySelector("[data-map-hide]").addEventListener("click", () => {
    write("map-tiles", null);
    location.reload();
  });

  if (document.documentElement.dataset.mapTiles === "yes") showMap();

  // ---- Filters ---------------------------------------------------------------
  // The form stays a plain GET form. htmx (its data-hx-* attributes) swaps in the
  // list for the chosen filters and puts them in the address bar (so the view can
  // be shared or reloaded), without a reload; the map redraws itself here.
  form.addEventListener("change", load);
  form.addEventListener("submit", load);
  // Only the filters she chose go in the address: /map?what=found, not
  // /map?space=&what=found&within=, as the plain form would send.
  form.addEventListener("htmx:configRequest", (event) => {
    for (const [key, value] of [...event.detail.formData]) {
      if (!value) event.detail.formData.delete(key);
    }
  });
}
