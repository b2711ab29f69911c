// "Copy the code" buttons ([data-copy]: the selector of what to copy): on a
// receipt, and on a made poster. Shown only where the browser can copy.
function showCopyButtons(root) {
  if (navigator.clipboard && root.querySelectorAll) {
    root.querySelectorAll("[data-copy]").forEach((b) => { b.hidden = false; });
  }
}
showCopyButtons(document);
// A receipt htmx swapped in has its own button.
document.addEventListener("htmx:afterSettle", (event) => showCopyButtons(event.target));

document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-copy]");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(document.querySelector(button.dataset.copy).textContent.trim());
    button.textContent = button.dataset.copied;
  } catch {
    // No clipboard (older browsers, no permission): the code is on screen to write down.
  }
});
