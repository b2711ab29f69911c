// The response form of a published report's page (templates/replies/_form.html).
// In a flood the server answers a response sent by htmx with 429 and a challenge
// (app/replies/views.py, as for reports): keep the form, find the answer in a
// Web Worker (proof.js) and send it again. Without workers it says so, and the
// server holds the response for organizers, as it does without JavaScript.
import "./copy.js";
import { solveProof } from "./proof.js";

function setHidden(form, name, value) {
  let input = form.elements[name];
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    form.append(input);
  }
  input.value = value;
}

document.addEventListener("htmx:beforeSwap", async (event) => {
  const challenge = event.detail.xhr.getResponseHeader("SpotCheck-Proof");
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  const form = source instanceof Element && source.closest("[data-respond-form]");
  if (!challenge || !form) return;
  event.detail.shouldSwap = false;
  const status = form.parentElement.querySelector("[data-proof-status]");
  if (status) status.hidden = false;
  try {
    setHidden(form, "proof_answer", await solveProof(challenge));
    setHidden(form, "proof_challenge", challenge);
  } catch {
    if (status) status.hidden = true;
    setHidden(form, "no_proof", "1");
  }
  form.requestSubmit();
});
