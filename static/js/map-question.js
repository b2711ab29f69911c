// The public map's question to /api/v1/reports, and its first asking, made
// while Leaflet is still on its way. On a slow phone Leaflet (37 KB) takes
// about a second to arrive and run; the reports for the first view need not
// wait for it. So this small module, loaded `async` at the end of the map page
// (it runs as soon as it arrives, not after Leaflet as map.js does), works out
// the box Leaflet will show (its Web Mercator arithmetic, from the start view
// and the map's size on the page) and asks for it at once. map.js imports
// `asking` (the same module instance: one URL, one module) and draws that
// answer if its own first question is the very same, and asks again otherwise.
// Nothing is asked unless she already agreed to the map: without the map, the
// list below is the page.
import { projection } from "./tiles.js";

const box = document.querySelector("[data-map]:not([data-pick])");
const form = document.querySelector("[data-map-filters]");

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

// The API's question for a box (WGS-84 degrees) at a zoom, with the filters.
const question = (west, south, east, north, zoom) => {
  const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
  const params = new URLSearchParams({
    bbox: [clamp(west, 180), clamp(south, 90), clamp(east, 180), clamp(north, 90)].join(","),
    zoom: String(zoom),
  });
  const chosen = filters();
  if (chosen.space) params.set("space", chosen.space);
  if (chosen.what) params.set("what", chosen.what);
  if (chosen.verification) params.set("verification", chosen.verification);
  if (chosen.within) params.set("since", since(Number(chosen.within)));
  return params;
};

// map.js takes `first` when it starts, and sets `taken`: if it started before
// the box was measured (Leaflet already cached), it asks for itself.
export const asking = { filters, question, first: null, taken: false };

// ---- The first view, as Leaflet 1.9.4 will compute it --------------------------
// Spherical Mercator (EPSG:3857), written as Leaflet writes it (the same
// operations in the same order, so the same digits): L.Map's setView(),
// getBounds() and getPixelBounds(), over SphericalMercator and EPSG3857's
// transformation. Should the two ever differ, map.js simply asks again.
const R = 6378137;
const MAX_LATITUDE = 85.0511287798;
const SCALE = 0.5 / (Math.PI * R);
const project = (lat, lng, zoom) => {
  const d = Math.PI / 180;
  const sin = Math.sin(Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE) * d);
  const scale = 256 * Math.pow(2, zoom);
  return [scale * (SCALE * (R * lng * d) + 0.5), scale * (-SCALE * (R * Math.log((1 + sin) / (1 - sin)) / 2) + 0.5)];
};
const unproject = (x, y, zoom) => {
  const scale = 256 * Math.pow(2, zoom);
  const d = 180 / Math.PI;
  const px = (x / scale - 0.5) / SCALE;
  const py = (y / scale - 0.5) / -SCALE;
  return [(2 * Math.atan(Math.exp(py / R)) - (Math.PI / 2)) * d, px * d / R];
};

// The question map.js will ask first: the start view in a box of this size.
const firstQuestion = (settings, { onScreen, onEarth }, [width, height]) => {
  if (!width || !height || asking.taken) return null;
  const zoom = Math.max(2, Math.round(settings.start[2])); // map.js's minZoom, Leaflet's zoomSnap
  const [lat, lng] = onScreen(settings.start[0], settings.start[1]);
  const [x, y] = project(lat, lng, zoom);
  const left = Math.round(x - width / 2);
  const top = Math.round(y - height / 2);
  const [bottom, leftEdge] = unproject(left, top + height, zoom);
  const [topEdge, rightEdge] = unproject(left + width, top, zoom);
  // As map.js's query(): one world, back in WGS-84.
  const [south, west] = onEarth(bottom, Math.max(leftEdge, -180));
  const [north, east] = onEarth(topEdge, Math.min(rightEdge, 180));
  return question(west, south, east, north, zoom);
};

// Her yes to the tiles, read from the phone before the page was drawn (map-choice.js).
// A mirror's map (data-static) reads files, not the API: map.js asks for them.
if (box && form && !box.dataset.static && document.documentElement.dataset.mapTiles === "yes") {
  const settings = JSON.parse(box.dataset.settings);
  // The box is measured when the browser lays the page out for its first paint
  // (a ResizeObserver's first call comes right after that layout), not here:
  // reading its size here forced that whole first layout inside this script,
  // a task of 80-200 ms on a slow phone.
  // Points on the tiles: GCJ-02 for providers drawing China so.
  const shift = projection(settings);
  const sized = new ResizeObserver(async () => {
    sized.disconnect();
    const size = [box.clientWidth, box.clientHeight]; // now, before waiting for anything
    const params = asking.taken ? null : firstQuestion(settings, await shift, size);
    if (!params) return;
    // No cookies, as every later question: the API is public and the same for everyone.
    const answer = fetch(`${settings.api}?${params}`, { credentials: "omit" })
      .then((response) => (response.ok ? response.json() : null));
    answer.catch(() => {}); // map.js asks again if this failed
    asking.first = { params: String(params), answer };
  });
  sized.observe(box);
}
