// The small map on a report's card (templates/review/_card.html): where the
// reporter put the place, on the public map's tiles (app/review/views.py,
// small_map). Tiles load only after the organizer asks, since the tile host
// then sees her address and the area she looks at; her choice is kept on this
// browser (storage.js, "review-map") until she hides the map again. Without
// JavaScript the card shows the coordinates as text and nothing loads.
import { read, write } from "./storage.js";
import { addTiles, projection } from "./tiles.js";

const draw = (figure, frame, settings, { onScreen }) => {
  // Providers drawing China in GCJ-02 need the point shifted onto their streets.
  const point = onScreen(settings.point[0], settings.point[1]);
  frame.hidden = false;
  // A picture of the place, not a second map page: the page scrolls over it,
  // and it takes no keyboard focus of its own (the coordinates are in the card).
  const map = L.map(frame, { keyboard: false, scrollWheelZoom: false })
    .setView(point, Math.min(16, settings.maxZoom));
  addTiles(map, settings);
  // Stored places are rounded to about 100 m (app/reports/form.py): the ring says so.
  L.circle(point, { radius: 100, color: "#8c1d18", weight: 2, fillOpacity: 0.1 }).addTo(map);
  L.circleMarker(point, { radius: 6, color: "#fff", weight: 2, fillColor: "#8c1d18", fillOpacity: 1 })
    .addTo(map);
  return map;
};

const setUpFigure = async (figure) => {
  figure.dataset.ready = "";
  const settings = JSON.parse(figure.dataset.settings);
  const shift = await projection(settings);
  const frame = figure.querySelector("[data-review-map-frame]");
  const toggle = figure.querySelector("[data-review-map-toggle]");
  let map = null;
  const show = (on) => {
    if (on && !map) map = draw(figure, frame, settings, shift);
    if (!on && map) {
      map.remove();
      map = null;
      frame.hidden = true;
    }
    toggle.textContent = on ? toggle.dataset.hide : toggle.dataset.show;
    toggle.setAttribute("aria-expanded", String(on));
  };
  toggle.addEventListener("click", () => {
    write("review-map", map ? null : "shown"); // refused: the map still shows for this card
    show(!map);
  });
  // htmx replaces the card after each action: the old map goes with it.
  figure.addEventListener("htmx:beforeCleanupElement", (event) => {
    if (event.target === figure && map) {
      map.remove();
      map = null;
    }
  });
  figure.hidden = false;
  if (read("review-map") === "shown") show(true);
};

const setUp = (root) => {
  for (const figure of root.querySelectorAll("[data-review-map]:not([data-ready])")) setUpFigure(figure);
};

if (window.L) {
  setUp(document);
  // A card htmx swaps in (after an action) gets its map the same way.
  document.addEventListener("htmx:load", (event) => setUp(event.detail.elt.parentNode || document));
}
