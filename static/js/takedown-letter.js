// The takedown kit's letters, as plain functions: reading what she typed, and
// writing the letter from the parts app/takedown/letters.py rendered into the page.
// Nothing here touches the page or the network.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// A site's name with at least one dot, then optionally a path: t.me/x, www.x.com/y.
const BARE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?::\d+)?(?:[/?#]\S*)?$/i;

// Today on this phone, as YYYY-MM-DD in her own time zone.
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function addDays(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  return today(new Date(y, m - 1, d + days));
}

const realDay = (day) => {
  if (!DAY.test(day)) return false;
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
};

// One link as she typed it, made whole: "https://…" kept, "t.me/…" given
// https://, anything else (words, javascript:, ftp:) refused with null.
export function normalizeLink(text) {
  const typed = text.trim();
  let candidate = null;
  if (/^https?:\/\//i.test(typed)) candidate = typed;
  else if (BARE.test(typed)) candidate = `https://${typed}`;
  if (!candidate || /\s/.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    if (!/^https?:$/.test(url.protocol) || !url.hostname.includes(".")) return null;
    return candidate;
  } catch {
    return null;
  }
}

// Her lines of links: [{ link, date }] and the problems, each { kind, n, text }
// with kind "not-link" or "future" (n: the line's number, counting only lines
// with something on them, as she sees them). A line may end with its own day.
export function readLinks(text, found = "", now = today()) {
  const links = [];
  const problems = [];
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  lines.forEach((line, i) => {
    const parts = line.split(/\s+/);
    // Its own day, if she wrote one; else the form's (checked there, not here).
    const own = parts.length > 1 && realDay(parts[parts.length - 1]) ? parts.pop() : "";
    const link = parts.length === 1 ? normalizeLink(parts[0]) : null;
    if (!link) problems.push({ kind: "not-link", n: i + 1, text: line });
    else if (own > now) problems.push({ kind: "future", n: i + 1, text: line, date: own });
    else links.push({ link, date: own || found });
  });
  return { links, problems, empty: lines.length === 0 };
}

// {name} in a text replaced by values.name (missing: left empty).
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

// The letter in one language: { subject, body }. `parts` are letters.py's for
// that language; `what` holds what she typed and the destination's rule and
// region's law in that language. A part whose blank she left empty is left out.
export function compose(parts, what) {
  const lines = what.links.map(({ link, date }) =>
    (date ? fill(parts.line, { link, date }) : fill(parts.line_undated, { link })));
  const paragraphs = [
    parts.hello,
    [parts.ask, what.footage ? fill(parts.footage, { footage: what.footage }) : null],
    [parts.where, ...lines],
    what.rule ? fill(parts.rule, { rule: what.rule }) : null,
    what.act ? parts.act : null,
    what.law ? fill(parts.law, { region: what.law[0], law: what.law[1] }) : null,
    [what.name ? fill(parts.name, { name: what.name }) : null,
      what.contact ? fill(parts.contact, { contact: what.contact }) : null],
    parts.thanks,
  ].map((p) => [p].flat().filter(Boolean).join("\n")).filter(Boolean);
  return { subject: parts.subject, body: paragraphs.join("\n\n") };
}

// A mailto: link with the subject and body, every part encoded.
export const mailto = (address, { subject, body }) =>
  `mailto:${encodeURIComponent(address).replace(/%40/g, "@")}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
