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
  const source = document.querySelector(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = button.dataset.copied;
  } catch {
    // Refused (no permission, an older browser): the text selected, for her phone's
    // own Copy, and the button left unchanged, so she does not think it was copied.
    getSelection().selectAllChildren(source);
  }
});
