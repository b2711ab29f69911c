// What every Leaflet map on this site shares (the public map, the picker, the
// small map on a report's card): the tile layer, the GCJ-02 shift, and drawing
// a map in steps. Leaflet itself is the vendored classic script (window.L),
// loaded before the modules that use it.

// Providers drawing China in GCJ-02 need points shifted to sit on their
// streets. The server and its API only ever speak WGS-84. `settings` is the
// page's map settings (app/map/tiles.py); the promised onScreen takes a WGS-84
// point to where the tiles draw it, onEarth the way back. gcj02.js is imported
// only for such tiles: elsewhere its bytes would be wasted (the map page's budget).
const same = (lat, lon) => [lat, lon];
export async function projection(settings) {
  if (settings.coordinates !== "gcj02") return { onScreen: same, onEarth: same };
  const { fromGcj02, toGcj02 } = await import("./gcj02.js");
  return { onScreen: toGcj02, onEarth: fromGcj02 };
}

// The tile host's pictures under a map.
export function addTiles(map, settings) {
  return L.tileLayer(settings.tiles, {
    maxZoom: settings.maxZoom,
    attribution: settings.attribution,
    // Tile servers such as OpenStreetMap's ask for a Referer; "origin" sends
    // only this site's address, never the page, the filters or a report's place.
    referrerPolicy: "origin",
  }).addTo(map);
}

// Each step of drawing a map is a task of its own: a slow phone stays
// responsive to her taps (issue 19: no task over 50 ms).
export const nextTask = () => (window.scheduler?.yield ? window.scheduler.yield()
  : new Promise((resolve) => setTimeout(resolve, 0)));

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

// The public map or the picker in `box`, in steps, each a task of its own
// (Leaflet's first calls are slow on a slow phone): the map, its start view,
// then `withMap` (the public map draws its first markers there: what she came
// for, so they go first, but the tiles wait 2 s at most), then the zoom
// buttons, then the tiles. Leaflet cancels a tile it no longer needs by
// pointing it at a data: URL; our CSP refuses that URL (a console message)
// and the old load stops all the same.
export async function startMap(box, settings, withMap = async () => {}) {
  const { onScreen } = await projection(settings);
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
  addTiles(map, settings);
  return map;
}
