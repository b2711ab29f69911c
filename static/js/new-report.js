// The form for a new report (templates/reports/_form.html; not "report.js": a
// cached URL with "/report" in it reads as a report page, which the service worker
// never keeps, and the tests check that no such URL is cached): her location, rounded on the
// phone; the map picker in a frame; follow-up questions; the photo's size; the
// proof of work in a flood; the receipt brought into view. Loaded by the
// report form and its offline shell, with outbox.js, which keeps a report that
// cannot be sent. Everything works without it.
import "./copy.js";
import { resendWithProof } from "./proof.js";

// A hand-over from her evidence notebook (notebook.js, "Report this place
// anonymously"): a shrunk copy of a photo, without metadata, and the place rounded to
// ~100 m, left in this tab's sessionStorage. Read once and deleted; only put in the
// form, which she checks and sends herself.
function takeHandover() {
  const form = document.querySelector("[data-report-form]");
  let handover = null;
  try {
    handover = JSON.parse(sessionStorage.getItem("spotcheck-report-handover"));
    sessionStorage.removeItem("spotcheck-report-handover");
  } catch {
    return;
  }
  if (!handover || !form) return;
  const { latitude, longitude, observed_on: day, photo } = handover;
  if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
    form.elements.latitude.value = Number(latitude).toFixed(3);
    form.elements.longitude.value = Number(longitude).toFixed(3);
    form.querySelector(".coordinates-entry").open = true;
  }
  if (/^\d{4}-\d\d-\d\d$/.test(day || "")) form.elements.observed_on.value = day;
  if (photo && typeof DataTransfer === "function") {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(photo.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], photo.name, { type: "image/jpeg" }));
    form.elements.photo.files = transfer.files;
  }
  form.querySelector("[data-handover]").hidden = false;
}
takeHandover();

// "Use my location": the browser asks her; the position is rounded here, on
// the phone, to about 100 m before it is put in the form.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-locate]");
  if (!button) return;
  const field = button.closest("#field-location");
  const status = field.querySelector("[data-locate-status]");
  status.textContent = button.dataset.locating;
  navigator.geolocation.getCurrentPosition((position) => {
    field.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(3);
    field.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(3);
    status.textContent = button.dataset.located;
  }, () => {
    status.textContent = button.dataset.failed;
  }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
});

// "Choose on a map": the map page's picker (picker.js), in a frame, so that this
// page never loads map tiles. It sends back a point already rounded to ~100 m.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-pick-open]");
  if (!button) return;
  const field = button.closest("#field-location");
  const latitude = field.querySelector("[name=latitude]").value.trim();
  const longitude = field.querySelector("[name=longitude]").value.trim();
  const frame = document.createElement("iframe");
  frame.className = "picker-frame";
  frame.title = button.dataset.title;
  frame.src = button.dataset.src + (latitude && longitude ? `#${latitude},${longitude}` : "");
  button.after(frame);
  button.hidden = true;

  const close = () => {
    window.removeEventListener("message", receive);
    frame.remove();
    button.hidden = false;
    button.focus();
  };
  const receive = (message) => {
    if (message.origin !== window.location.origin || message.source !== frame.contentWindow) return;
    const { kind, latitude: lat, longitude: lon } = message.data || {};
    if (kind === "location" && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      field.querySelector("[name=latitude]").value = Number(lat).toFixed(3);
      field.querySelector("[name=longitude]").value = Number(lon).toFixed(3);
      field.querySelector("[data-locate-status]").textContent = button.dataset.picked;
    }
    if (kind === "location" || kind === "cancel") close();
  };
  window.addEventListener("message", receive);
});

function showReportExtras(root) {
  if (!root.querySelectorAll) return;
  if ("geolocation" in navigator) root.querySelectorAll("[data-locate]").forEach((b) => { b.hidden = false; });
  root.querySelectorAll("[data-pick-open]").forEach((b) => { b.hidden = false; });
}
showReportExtras(document);
document.addEventListener("htmx:afterSettle", (event) => {
  showReportExtras(event.target);
  // The receipt replaced the form where the Send button was: bring its top into
  // view and read it out, so the code is not half off the screen.
  const heading = event.target.querySelector && event.target.querySelector("[data-receipt-heading]");
  if (heading) {
    heading.closest("[data-receipt]").scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
});

// Follow-up questions: "What did they do?" once she told someone; "What did it
// look like?" not when she saw someone filming. Hidden fields keep what she typed.
// Any change in the form, also one outbox.js makes when it empties it, shows the right ones.
function showFollowUps(form) {
  const checked = (name, value) => [...form.querySelectorAll(`[name="${name}"]`)]
    .some((input) => input.checked && (value === undefined || input.value === value));
  form.querySelectorAll("[data-follow-up]").forEach((field) => {
    field.hidden = !field.dataset.followUp.split(" ").some((name) => checked(name));
  });
  form.querySelectorAll("[data-unless]").forEach((field) => {
    const [name, value] = field.dataset.unless.split("=");
    field.hidden = checked(name, value);
  });
}
const reportForms = (root) => (root.querySelectorAll ? root.querySelectorAll("[data-report-form]") : []);
reportForms(document).forEach(showFollowUps);
document.addEventListener("change", (event) => {
  const form = event.target instanceof Element && event.target.closest("[data-report-form]");
  if (form) showFollowUps(form);
});
document.addEventListener("htmx:afterSettle", (event) => reportForms(event.target).forEach(showFollowUps));

// A photo over 10 MB is refused before it is sent.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.name !== "photo" || !input.files[0]) return;
  input.setCustomValidity(input.files[0].size > 10 * 1024 * 1024 ? input.dataset.tooLarge : "");
  input.reportValidity();
});

resendWithProof("[data-report-form]");
