// Proof of work in a flood. When more reports arrive than the site takes in an
// hour, the server answers a report sent by this script (HX-Request) with 429
// and a challenge in the SpotCheck-Proof header instead of storing it
// (app/reports/proof.py), harder for each report sent from the same place that
// hour. The phone finds the answer in a Web Worker (under a second for a first
// report) and sends the report again; it then goes straight to the review queue.
// (A report sent without JavaScript is stored and held apart for organizers.)
// Used by new-report.js and respond.js (forms sent by htmx: resendWithProof) and
// outbox.js (a report sent from the outbox).

// The worker is a classic worker (proof-worker.js): it imports nothing, and
// module workers came late to WebKit (Safari 15). Its URL comes versioned from
// the form; on a page without the form (the outbox on another page), beside this file.
// So too where the form names another site's copy, which no page may start (a form
// the primary swapped into a mirror's page that it could not place, web/mirroring.py).
const workerUrl = () => {
  const form = document.querySelector("[data-proof-worker]");
  const named = form && new URL(form.dataset.proofWorker, document.baseURI);
  return named && named.origin === location.origin
    ? named.href : new URL("proof-worker.js", import.meta.url).href;
};

// The answer to a challenge ("<random>.<bits>"), as a decimal string. A worker that
// fails (its script not loaded: a phone just back online) is started once more, a
// second later, before the caller sends the report as unproven, to be held.
export function solveProof(challenge, retries = 1) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl());
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data.answer); };
    worker.onerror = (error) => {
      worker.terminate();
      if (retries > 0) setTimeout(() => solveProof(challenge, retries - 1).then(resolve, reject), 1000);
      else reject(error);
    };
    worker.postMessage({ challenge, bits: Number(challenge.split(".")[1]) });
  });
}

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

// A form matching `selector`, sent by htmx, answered 429 with a challenge: keep the
// form she filled in (a swapped-in copy would lose a photo), prove, and send it
// again. Without workers (very old browsers) send it again saying so: the server
// holds it for organizers and gives the receipt, as it does without JavaScript.
export function resendWithProof(selector) {
  document.addEventListener("htmx:beforeSwap", async (event) => {
    const challenge = event.detail.xhr.getResponseHeader("SpotCheck-Proof");
    // The form that sent it (detail.elt is the swap target, around the form).
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    const form = source instanceof Element && source.closest(selector);
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
}
