// The response form of a published report's page (templates/replies/_form.html).
// In a flood the server answers a response sent by htmx with 429 and a challenge
// (app/replies/views.py, as for reports): keep the form, find the answer in a
// Web Worker (proof.js) and send it again. Without workers it says so, and the
// server holds the response for organizers, as it does without JavaScript.
import "./copy.js";
import { resendWithProof } from "./proof.js";

resendWithProof("[data-respond-form]");
