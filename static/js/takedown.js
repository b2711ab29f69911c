// The takedown kit on her phone (templates/takedown/_letters.html, _tracker.html):
// she writes a letter from what she types, in the destination's language with the
// same letter in hers beside it, copies it or opens it in her mail app, and tracks
// its links. Nothing she types is sent by this page: the letter leaves the phone
// only when she sends it herself. The writer's form and words are one file the
// same for everyone (app/takedown/letters.py, at data-letters: the request carries
// nothing of hers), kept offline with the kit; until it comes, or if it cannot,
// the page stays as it is without JavaScript: a link to the letters with blanks.
import "./copy.js";
import { read } from "./storage.js";
import { compose, fill, mailto, readLinks, today } from "./takedown-letter.js";
import { startTracker } from "./takedown-tracker.js";

// Someone to talk to, beside each step: the first step's lines are the ones
// region.js arranges (templates/takedown/page.html); each other step shows the
// same, now and whenever she picks another region.
const talkLead = document.querySelector(".talk-lines[data-region-list] [data-region-lead]");
const sameTalk = () => {
  for (const lead of document.querySelectorAll("[data-talk-same] [data-region-lead]")) {
    lead.replaceChildren(...[...talkLead.children].map((line) => line.cloneNode(true)));
  }
};
const regionRoot = document.querySelector("[data-emergency]");
if (talkLead && regionRoot) {
  sameTalk();
  new MutationObserver(sameTalk).observe(regionRoot, { attributeFilter: ["data-shown-region"] });
}

// Every destination, from its card (templates/takedown/_destinations.html), in the
// page's order: the tracker's "reported to" and the letters' "where to send it".
const cards = () => new Map([...document.querySelectorAll(".destination[id^='d-']")].map((card) =>
  [card.id.slice(2), { name: card.querySelector("h4").textContent.trim(), act: card.hasAttribute("data-act") }]));

// The letter writer, once letters.json has come: its form and the letter it writes
// (put into [data-td-writer]), with its text. Gives writeAgain for the tracker.
function startWriter(root, writer, data, destinations, tracker) {
  const $ = (selector) => writer.querySelector(selector);
  const t = (name, values = {}) => fill(writer.firstElementChild.dataset[`t${name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`] || "", values);
  const here = root.dataset.here;
  const { parts, laws, rules } = data;
  const form = $("[data-td-form]");
  const to = $("#td-to");
  const links = $("#td-links");
  const found = $("#td-found");
  const footage = $("#td-footage");
  const law = $("#td-law");
  const name = $("#td-name");
  const contact = $("#td-contact");
  const letter = $("[data-td-letter]");
  const trackStatus = $("[data-td-track-status]");
  // Copy buttons where the browser can copy (copy.js shows those in the page at load).
  if (navigator.clipboard) for (const button of writer.querySelectorAll("[data-copy]")) button.hidden = false;

  // A link back again: the letter form with it added (to what she typed, never over it).
  const writeAgain = (record) => {
    if (record.destination) choose(record.destination);
    const typed = links.value.split(/\r?\n/).map((line) => line.trim());
    if (!typed.includes(record.link)) links.value = links.value.trim() ? `${links.value.trimEnd()}\n${record.link}` : record.link;
    form.scrollIntoView();
    links.focus();
  };
  // A field's error beside it, tied to it for screen readers; its hint stays tied too.
  const mark = (input, message) => {
    const error = $(`#${input.id}-error`);
    error.textContent = message || "";
    error.hidden = !message;
    const hint = $(`#${input.id}-hint`);
    const described = [message ? error.id : null, hint ? hint.id : null].filter(Boolean).join(" ");
    if (described) input.setAttribute("aria-describedby", described);
    else input.removeAttribute("aria-describedby");
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    return Boolean(message);
  };

  // Her region's law: the region region.js shows (from ?region= or kept on the phone).
  const region = document.querySelector("[data-emergency]")?.dataset.shownRegion || read("region");
  if (region && laws[region]) law.value = region;
  found.max = today();
  const actHint = $("[data-td-act-hint]");
  const choose = (key) => {
    if (!destinations.has(key)) return false;
    to.value = key;
    actHint.hidden = !destinations.get(key).act;
    return true;
  };
  to.addEventListener("change", () => choose(to.value));
  // "Write a letter" on a destination's card: #write-<key> (a plain link without JavaScript).
  const fromHash = () => {
    const match = /^#write-([\w-]+)$/.exec(window.location.hash);
    if (match && choose(match[1])) to.focus();
  };
  window.addEventListener("hashchange", fromHash);
  fromHash();

  let written = null; // the letter on screen: its destination and links, for the tracker

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const now = today();
    const { links: items, problems, empty } = readLinks(links.value, found.value, now);
    const first = problems[0];
    const bad = [
      [to, mark(to, to.value ? "" : t("to-required"))],
      [links, mark(links, empty ? t("no-link")
        : first && first.kind === "not-link" ? t("not-link", first)
          : first ? t("future-line", first) : "")],
      [found, mark(found, found.value && found.value > now ? t("future") : "")],
    ].filter(([, refused]) => refused);
    if (bad.length) {
      bad[0][0].focus(); // nothing she typed is touched
      return;
    }
    const option = to.selectedOptions[0];
    const key = to.value;
    const lang = option.dataset.lang;
    const what = (code) => ({
      links: items, footage: footage.value.trim(), name: name.value.trim(), contact: contact.value.trim(),
      rule: (rules[key] || {})[code], act: option.hasAttribute("data-act"), law: law.value && laws[law.value][code],
    });
    const sent = compose(parts[lang], what(lang));
    const beside = compose(parts[here], what(here));
    $("#td-subject").textContent = sent.subject;
    $("#td-letter-text").textContent = sent.body;
    const send = $("[data-td-send]");
    send.lang = parts[lang].html_lang;
    // Her language beside it, unless the letter is in it already.
    const besideCopy = $("[data-td-beside]");
    besideCopy.hidden = lang === here;
    besideCopy.querySelector("[data-td-beside-subject]").textContent = beside.subject;
    besideCopy.querySelector("[data-td-beside-text]").textContent = beside.body;
    $("[data-td-letter-to]").textContent = t("to-in", { destination: destinations.get(key).name, language: parts[lang].language });
    const mail = $("[data-td-mailto]");
    mail.hidden = !option.dataset.email;
    if (option.dataset.email) mail.href = mailto(option.dataset.email, sent);
    const open = $("[data-td-open-form]");
    open.hidden = !option.dataset.url;
    if (option.dataset.url) open.href = option.dataset.url;
    for (const button of letter.querySelectorAll("[data-copy]")) button.textContent = button.dataset.label;
    trackStatus.textContent = "";
    written = { key, links: items };
    letter.hidden = false;
    letter.focus();
  });

  $("[data-td-track]").addEventListener("click", async () => {
    if (!written) return;
    const where = destinations.get(written.key).name;
    const ok = await tracker.track(written.links.map(({ link }) =>
      ({ link, destination: written.key, where, reported: today() })));
    if (ok) trackStatus.textContent = t("tracked", { count: written.links.length });
  });

  return writeAgain;
}

const root = document.querySelector("[data-td-letters]");
const trackerRoot = document.querySelector("[data-td-tracker]");

if (root && trackerRoot) {
  const destinations = cards();
  let writeAgain = null; // until the writer has come
  const tracker = startTracker(trackerRoot, destinations, JSON.parse(root.dataset.checkAgain),
    (record) => writeAgain?.(record));
  fetch(root.dataset.letters).then((response) => {
    if (!response.ok) throw new Error(`letters: ${response.status}`);
    return response.json();
  }).then((data) => {
    const writer = root.querySelector("[data-td-writer]");
    writer.innerHTML = data.writer; // our own, escaped by the server; no script in it
    writeAgain = startWriter(root, writer, data, destinations, tracker);
    root.querySelector("[data-td-nojs]").hidden = true;
  }).catch(() => {}); // offline with no kit kept: the link to the letters by hand stays
}
