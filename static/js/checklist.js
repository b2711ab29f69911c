// Checklist marks: kept in this browser only (storage.js, one entry per space),
// never sent anywhere. Without JS the radios still work; they are just not
// remembered. Loaded by the checklist pages only.
import { readJSON, writeJSON } from "./storage.js";

const readMarks = (space) => readJSON(`marks.${space}`, {});
// Storage full or refused: the marks still work for this visit.
const writeMarks = (space, marks) => writeJSON(`marks.${space}`, Object.keys(marks).length ? marks : null);

function setUpChecklist(root) {
  const space = root.dataset.checklist;
  const items = [...root.querySelectorAll(".item")];
  const progress = root.querySelector("[data-progress]");
  const clearRow = root.querySelector("[data-clear-row]");
  // The found bar's report link (none at home) and the item she last marked Found.
  const report = root.querySelector("[data-found-report]");
  let lastFound = null;

  const marksOnPage = () => {
    const marks = {};
    for (const input of root.querySelectorAll("input[type=radio]:checked")) {
      marks[input.name] = input.value; // the item's key, as the marks are kept
    }
    return marks;
  };

  const show = () => {
    const marks = marksOnPage();
    const values = Object.values(marks);
    const count = (v) => values.filter((x) => x === v).length;
    const parts = [progress.dataset.checked.replace("{done}", values.length).replace("{total}", items.length)];
    if (count("unsure")) parts.push(progress.dataset.unsure.replace("{count}", count("unsure")));
    if (count("found")) parts.push(progress.dataset.found.replace("{count}", count("found")));
    progress.textContent = parts.join(" · ");
    const found = items.filter((item) => marks[item.id.replace(/^item-/, "")] === "found");
    // For browsers without :has(): CSS shows the bar on this class too.
    root.classList.toggle("has-found", found.length > 0);
    if (!found.includes(lastFound)) lastFound = found[found.length - 1] || null;
    if (report) {
      // Without JS the link names the space only; here it names her item's device too.
      const url = new URL(report.href);
      const device = lastFound && lastFound.querySelector("[data-device]")?.dataset.device;
      if (device) url.searchParams.set("device", device);
      else url.searchParams.delete("device");
      report.href = url.href;
    }
  };

  for (const [key, value] of Object.entries(readMarks(space))) {
    const input = root.querySelector(`input[name="${CSS.escape(key)}"][value="${CSS.escape(value)}"]`);
    if (input) input.checked = true;
  }
  root.addEventListener("change", (event) => {
    if (event.target.value === "found") lastFound = event.target.closest(".item");
    writeMarks(space, marksOnPage());
    show();
  });
  root.querySelector("[data-clear]").addEventListener("click", () => {
    for (const input of root.querySelectorAll("input[type=radio]:checked")) input.checked = false;
    writeMarks(space, {});
    show();
  });
  progress.removeAttribute("data-pending");
  clearRow.hidden = false;
  show();
}

document.querySelectorAll("[data-checklist]").forEach(setUpChecklist);
