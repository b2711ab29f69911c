// Her answer about the map's tiles (remembered on this phone by map.js), put
// on <html> before the page is first drawn: the stylesheet then shows either
// the map with its shortcuts, or the question about the tile host. Left to
// map.js, which arrives a second later on a slow phone, the map's box vanished
// or the shortcuts appeared after the page was drawn, and everything below
// jumped. Without JavaScript neither shows: the list is the page. Tiny and
// parser-blocking on purpose; no inline scripts (the CSP forbids them).
"use strict";

(() => {
  let yes = false;
  try {
    yes = localStorage.getItem("spotcheck.map-tiles") === "yes";
  } catch {
    // Storage blocked: she is asked each time.
  }
  document.documentElement.dataset.mapTiles = yes ? "yes" : "ask";
})();
