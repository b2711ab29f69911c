// Proof of work in a flood. When more reports arrive than the site takes in an
// hour, the server answers a report sent by this script (HX-Request) with 429
// and a challenge in the SpotCheck-Proof header instead of storing it
// (app/reports/proof.py), harder for each report sent from the same place that
// hour. The phone finds the answer in a Web Worker (under a second for a first
// report) and sends the report again; it then goes straight to the review queue.
// (A report sent without JavaScript is stored and held apart for organizers.)
// Used by new-report.js (a form sent by htmx) and outbox.js (a report sent from
// the outbox).

// The worker is a classic worker (proof-worker.js): it imports nothing, and
// module workers came late to WebKit (Safari 15). Its URL comes versioned from
// the form; on a page without the form (the outbox on another page), beside this file.
const workerUrl = () => {
  const form = document.querySelector("[data-proof-worker]");
  return form ? form.dataset.proofWorker : new URL("proof-worker.js", import.meta.url).href;
};

// The answer to a challenge ("<random>.<bits>"), as a decimal string.
export function solveProof(challenge) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl());
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data.answer); };
    worker.onerror = (error) => { worker.terminate(); reject(error); };
    worker.postMessage({ challenge, bits: Number(challenge.split(".")[1]) });
  });
}
