// The found page's emergency block: where the page thinks she is, then one number.
//
// The page is the same for everyone at one URL (cached and precached), so her
// region is read here, on the phone: `?region=xx`, else the one she chose before
// (kept by storage.js, so it holds offline). Never from the phone's language: a
// phone set to en-US may well be in Hong Kong, and 911 would be the wrong call.
// With no region known, the server's question ("Where are you?", the likely
// regions as big choices) stays exactly as drawn, so nothing moves.
// Once a region is known, each [data-region-list] shows its items first (with the
// worldwide "*" ones) and folds the rest, as the server does for ?region=xx.
import { read, write } from "./storage.js";

const root = document.querySelector("[data-emergency]");
if (root) {
  const blocks = [...root.querySelectorAll("[data-region-block]")];
  const pick = root.querySelector("[data-region-pick]");
  const now = root.querySelector("[data-region-now]");
  // A region's name, as the question's choices (every region is one of them) spell it.
  const nameOf = (code) => root.querySelector(`[data-pick-region="${code}"]`)?.textContent || "";
  const known = new Set(blocks.map((b) => b.dataset.regionBlock));
  // "at:eu be:eu …": a code that has no card of its own, and the one that holds it.
  const aliases = Object.fromEntries((root.dataset.regionAliases || "").split(" ")
    .filter(Boolean).map((pair) => pair.split(":")));

  const resolve = (code) => {
    const c = (code || "").toLowerCase();
    const r = aliases[c] || c;
    return known.has(r) ? r : null;
  };
  const stored = () => resolve(read("region"));
  const store = (code) => write("region", code); // refused (private mode): this visit only
  // Items keep their server order inside each half; remember it once.
  const lists = [...document.querySelectorAll("[data-region-list]")].map((list) => ({
    lead: list.querySelector("[data-region-lead]"),
    rest: list.querySelector("[data-region-rest]"),
    items: [...list.querySelectorAll("[data-region]")],
  }));
  const arrange = (code) => {
    for (const { lead, rest, items } of lists) {
      const mine = items.filter((i) => i.dataset.region === code);
      const everywhere = items.filter((i) => i.dataset.region === "*");
      lead.replaceChildren(...mine, ...everywhere);
      rest.replaceChildren(...items.filter((i) => !mine.includes(i) && !everywhere.includes(i)));
    }
  };
  // A region: the line ("Your region: …", Change) and its block. None: the question.
  const show = (code) => {
    if (code) arrange(code);
    for (const block of blocks) block.hidden = block.dataset.regionBlock !== code;
    if (now) {
      now.hidden = !code;
      if (code) now.querySelector("[data-region-name]").textContent = nameOf(code);
    }
    if (pick) pick.hidden = Boolean(code);
    for (const link of root.querySelectorAll("[data-pick-region]")) {
      if (link.dataset.pickRegion === code) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    root.dataset.shownRegion = code || "";
  };

  const fromUrl = resolve(new URLSearchParams(location.search).get("region"));
  if (fromUrl) store(fromUrl);
  const start = fromUrl || stored();
  if (start) show(start);
  else root.dataset.shownRegion = "";

  // Picking and changing stay on this page (it may be open offline); a pick is remembered.
  document.addEventListener("click", (event) => {
    const change = event.target.closest("[data-region-change]");
    if (change && root.contains(change)) {
      event.preventDefault();
      show(null);
      pick?.querySelector("[data-pick-region]")?.focus();
      return;
    }
    const link = event.target.closest("[data-pick-region]");
    if (!link || !resolve(link.dataset.pickRegion)) return;
    event.preventDefault();
    const code = resolve(link.dataset.pickRegion);
    store(code);
    show(code);
    now?.querySelector("[data-region-change]")?.focus();
  });
}
