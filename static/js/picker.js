// The report form's location picker (templates/maps/pick.html), shown in a
// frame of the form (new-report.js). The pin stays in the middle; she moves the map
// under it. Only the centre, rounded to about 100 m here on the phone, goes back
// to the form. It opens where she is (if she already allowed it), else at the
// city typed in the form, and takes no place she has not chosen: the map's
// first view is a guess, not an answer. No inline scripts: the CSP forbids them.
import { projection, startMap } from "./tiles.js";
import { alreadyAllowed, cities, findCity, whereIAm } from "./places.js";

const box = document.querySelector("[data-map][data-pick]");
if (box && window.L) {
  const settings = JSON.parse(box.dataset.settings);
  const labels = JSON.parse(box.dataset.labels);
  Promise.all([startMap(box, settings), projection(settings)])
    .then(([map, { onScreen, onEarth }]) => pickLocation(map, settings, labels, onScreen, onEarth));
}

function pickLocation(map, settings, labels, onScreen, onEarth) {
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
      const city = typed && findCity(await cities(settings.cities), typed);
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
}
