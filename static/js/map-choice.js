// Her answer about the map's tiles (kept by map.js through storage.js as
// "map-tiles"), on <html> before the first paint, for the stylesheet. A classic,
// parser-blocking script on purpose: templates/maps/page.html says why.
"use strict";

(() => {
  let yes = false;
  try {
    yes = localStorage.getItem("spotcheck.map-tiles") === "yes";
  } catch {
    // Storage blocked: she is asked each time (storage.js's rule).
  }
  document.documentElement.dataset.mapTiles = yes ? "yes" : "ask";
})();
