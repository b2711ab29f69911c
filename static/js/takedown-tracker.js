// The takedown tracker on the page (templates/takedown/_tracker.html): the links
// she asked to remove, their state and the day to look again, kept by
// takedown-store.js on this phone. A storage failure is said on the page, next to
// what she typed, which stays where it is.
import * as store from "./takedown-store.js";
import { addDays, fill, normalizeLink, today } from "./takedown-letter.js";

// destinations: Map of key -> { name, act }; writeAgain(record): the letter form,
// filled in for a link that is back again.
export function startTracker(root, destinations, checkAgainDays, writeAgain) {
  const $ = (selector) => root.querySelector(selector);
  const t = (name, values = {}) => fill(root.dataset[`t${name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`] || "", values);
  const list = $("[data-td-list]");
  const item = $("[data-td-item]");
  const status = $("[data-td-tracker-status]");
  const failure = $("[data-td-tracker-failed]");
  const empty = $("[data-td-tracker-empty]");
  const say = (text) => {
    failure.hidden = true;
    status.textContent = text;
  };
  const failed = (error) => {
    status.textContent = "";
    failure.textContent = `${t("failed")} (${error && error.name ? error.name : error})`;
    failure.hidden = false;
  };

  // "Reported to": every destination, then somewhere else.
  const addTo = $("[data-td-add-to]");
  for (const [key, d] of destinations) addTo.append(new Option(d.name, key));
  addTo.append(new Option(t("elsewhere"), ""));

  // The Act's 48 hours for a covered platform; a week elsewhere.
  const checkAgain = (key, reported) =>
    addDays(reported, destinations.get(key)?.act ? checkAgainDays.act : checkAgainDays.other);

  function draw(records) {
    const now = today();
    empty.hidden = records.length > 0;
    list.replaceChildren(...records.map((record, i) => {
      const li = item.content.firstElementChild.cloneNode(true);
      const field = (name) => li.querySelector(`[data-f="${name}"]`);
      li.dataset.id = record.id;
      field("link").textContent = record.link;
      field("link").id = `td-item-${i}`;
      field("reported").textContent = t("reported", { destination: record.where || t("elsewhere"), date: record.reported });
      field("due").hidden = !(record.state !== "removed" && record.checkAgain && record.checkAgain <= now);
      field("state").value = record.state;
      field("again").hidden = record.state !== "back";
      field("checkAgain").value = record.checkAgain || "";
      for (const control of [field("state"), field("checkAgain"), field("again"), field("delete")]) {
        control.setAttribute("aria-describedby", field("link").id);
      }
      return li;
    }));
  }

  let shown = [];
  async function refresh() {
    shown = await store.listLinks();
    draw(shown);
    return shown;
  }

  // Adds links to the tracker: [{ link, destination, where, reported }].
  async function track(links) {
    const records = links.map(({ link, destination, where, reported }) => ({
      id: store.newId(), link, destination, where, reported, state: "sent",
      checkAgain: checkAgain(destination, reported),
    }));
    try {
      await store.putLinks(records);
      await refresh();
      say(t("saved"));
      return true;
    } catch (error) {
      failed(error);
      return false;
    }
  }

  list.addEventListener("change", async (event) => {
    const li = event.target.closest("li[data-id]");
    const record = li && shown.find((r) => r.id === li.dataset.id);
    if (!record) return;
    const name = event.target.dataset.f;
    if (name !== "state" && name !== "checkAgain") return;
    try {
      const [kept] = await store.putLinks([{ ...record, [name]: event.target.value }]);
      Object.assign(record, kept);
      li.querySelector('[data-f="due"]').hidden = !(record.state !== "removed" && record.checkAgain && record.checkAgain <= today());
      li.querySelector('[data-f="again"]').hidden = record.state !== "back";
      say(t("saved"));
    } catch (error) {
      failed(error); // the choice stays on screen; the stored one is the old
    }
  });
  list.addEventListener("click", async (event) => {
    const again = event.target.closest('[data-f="again"]');
    if (again) {
      const record = shown.find((r) => r.id === again.closest("li").dataset.id);
      if (record) writeAgain(record);
      return;
    }
    const button = event.target.closest('[data-f="delete"]');
    if (!button || !window.confirm(t("confirm-delete"))) return;
    try {
      await store.deleteLink(button.closest("li").dataset.id);
      await refresh();
      say(t("deleted"));
      $("#td-tracker-title").focus();
    } catch (error) {
      failed(error);
    }
  });
  $("[data-td-delete-all]").addEventListener("click", async () => {
    if (!window.confirm(t("confirm-delete-all"))) return;
    try {
      await store.deleteAll();
      await refresh();
      say(t("deleted"));
    } catch (error) {
      failed(error);
    }
  });

  // By hand: a link, where it went, the day. Refused fields are named beside
  // themselves; nothing she typed is cleared until it is kept.
  const form = $("[data-td-add-form]");
  const linkInput = $("#td-add-link");
  const dateInput = $("#td-add-date");
  const mark = (input, message) => {
    const error = root.querySelector(`#${input.id}-error`);
    error.textContent = message || "";
    error.hidden = !message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    return Boolean(message);
  };
  dateInput.value = today();
  dateInput.max = today();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const link = normalizeLink(linkInput.value);
    const bad = [
      mark(linkInput, !linkInput.value.trim() ? t("no-link") : !link ? t("bad-link") : ""),
      mark(dateInput, dateInput.value && dateInput.value > today() ? t("future") : ""),
    ];
    if (bad[0] || bad[1]) {
      (bad[0] ? linkInput : dateInput).focus();
      return;
    }
    const destination = addTo.value;
    const where = destination ? addTo.selectedOptions[0].textContent : t("elsewhere");
    if (await track([{ link, destination, where, reported: dateInput.value || today() }])) {
      linkInput.value = "";
    }
  });

  $("[data-td-tracker-nojs]").hidden = true;
  $("[data-td-tracker-body]").hidden = false;
  refresh().then((records) => {
    // Whenever the kit opens with links kept: the worker keeps the kit offline.
    if (records.length) store.tellWorker(records.length).catch(() => {});
  }, failed);
  return { track };
}
