// SpotCheck's page script. Everything works without it; it only makes things
// quicker. No inline scripts anywhere: the CSP forbids them.
"use strict";

// Quick exit: blank the page at once, then replace this history entry with the
// neutral site, so the Back button does not lead straight back here.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-quick-exit]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  document.body.hidden = true;
  window.location.replace(link.href);
});
