// Organizers' lists (the review queue, the posters): j / k move between rows,
// Enter opens the focused one.
document.addEventListener("keydown", (event) => {
  if (!["j", "k"].includes(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
  const links = [...document.querySelectorAll(".queue-link")];
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
  links[next].focus();
  event.preventDefault();
});

// Bulk review (review/bulk.py): the form works without this; here, "select all on
// this page" and how many are ticked. Rows loaded later ("Older reports") count too.
const bulk = document.querySelector("form.bulk");
const tools = bulk && bulk.querySelector("[data-bulk-tools]");
if (tools) {
  const button = tools.querySelector("[data-select-all]");
  const count = tools.querySelector("[data-bulk-count]");
  const boxes = () => [...bulk.querySelectorAll("input[data-bulk-pick]")];
  const show = () => {
    const ticked = boxes().filter((box) => box.checked).length;
    count.value = String(ticked);
    const all = ticked > 0 && ticked === boxes().length;
    button.textContent = all ? button.dataset.clear : button.dataset.select;
  };
  button.addEventListener("click", () => {
    const all = boxes().every((box) => box.checked);
    for (const box of boxes()) box.checked = !all;
    show();
  });
  bulk.addEventListener("change", show);
  document.body.addEventListener("htmx:afterSwap", show);
  tools.hidden = false;
  show();
}
