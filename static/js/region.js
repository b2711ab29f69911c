// The found page's emergency block: one number for the reader's region, else none.
//
// The page is the same for everyone at one URL (cached and precached), so the
// region is picked here, on the phone: her own choice (kept by storage.js, so it
// holds offline), else the region in her browser's languages (zh-HK -> hk,
// en-US -> us). With neither, the likely regions' numbers stay side by side.
// Once a region is known, each [data-region-list] shows its items first (with the
// worldwide "*" ones) and folds the rest, as the server does for ?region=xx.
import { read, write } from "./storage.js";

const root = document.querySelector("[data-emergency]");
if (root) {
  const blocks = [...root.querySelectorAll("[data-region-block]")];
  const likely = root.querySelector("[data-emergency-likely]");
  const known = new Set(blocks.map((b) => b.dataset.regionBlock));
  let aliases = {};
  try { aliases = JSON.parse(root.dataset.regionAliases || "{}"); } catch { /* keep none */ }

  const resolve = (code) => {
    const c = (code || "").toLowerCase();
    const r = aliases[c] || c;
    return known.has(r) ? r : null;
  };
  const stored = () => resolve(read("region"));
  const store = (code) => write("region", code); // refused (private mode): this visit only
  // "zh-Hant-HK" -> "hk"; "en" has no region and gives nothing.
  const fromLanguages = () => {
    for (const tag of navigator.languages || [navigator.language]) {
      for (const part of (tag || "").split("-").slice(1)) {
        const code = part.length === 2 && resolve(part);
        if (code) return code;
      }
    }
    return null;
  };
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
  const show = (code) => {
    if (code) arrange(code);
    for (const block of blocks) block.hidden = block.dataset.regionBlock !== code;
    if (likely) likely.hidden = Boolean(code);
    for (const link of root.querySelectorAll("[data-pick-region]")) {
      if (link.dataset.pickRegion === code) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    const pick = root.querySelector("[data-region-pick]");
    if (pick) pick.open = !code;
    root.dataset.shownRegion = code || "";
  };

  const fromUrl = resolve(new URLSearchParams(location.search).get("region"));
  if (fromUrl) store(fromUrl);
  show(fromUrl || stored() || fromLanguages());

  // Picking stays on this page (it may be open offline) and is remembered.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-pick-region]");
    if (!link || !resolve(link.dataset.pickRegion)) return;
    event.preventDefault();
    store(link.dataset.pickRegion);
    show(link.dataset.pickRegion);
  });
}
