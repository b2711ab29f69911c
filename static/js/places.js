// Where she is, or the city she typed, for the public map's shortcuts and the
// picker's first view. Nothing here leaves the phone.

// ---- Cities ---------------------------------------------------------------
// A list bundled with the site (static/data/cities.json: names in English and
// both Chinese scripts, with coordinates), fetched from this site only when
// needed. What she typed is matched here, on the phone; it goes nowhere.
let cityList = null;
export const cities = (url) => {
  cityList ??= fetch(url, { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : { cities: [] }))
    .then((data) => data.cities)
    .catch(() => []);
  return cityList;
};
// [English, Simplified, Traditional, latitude, longitude, other spellings…]
const namesOf = (city) => [city[0], city[1], city[2], ...city.slice(5)];
// Letters and digits only, lower case, accents and "(Zhejiang)" dropped:
// "Xi'an" is "xian", "São Paulo" is "saopaulo".
const simplify = (text) => text.toLowerCase().normalize("NFKD").replace(/\(.*?\)/g, "")
  .replace(/[^\p{L}\p{N}]/gu, "");
// The city whose name appears earliest in what she typed ("深圳市南山区" holds
// 深圳; the longer name wins a tie, so "Dalian" is not "Dali"), else the
// first whose name starts with it ("Kuala" for Kuala Lumpur).
export const findCity = (list, typed) => {
  const wanted = simplify(typed);
  if (!wanted) return null;
  let best = null;
  for (const city of list) {
    for (const key of namesOf(city).map(simplify)) {
      const at = key ? wanted.indexOf(key) : -1;
      if (at >= 0 && (!best || at < best.at || (at === best.at && key.length > best.length))) {
        best = { city, at, length: key.length };
      }
    }
  }
  if (best) return best.city;
  if (wanted.length < 2) return null;
  return list.find((city) => namesOf(city).some((name) => simplify(name).startsWith(wanted))) || null;
};
// A city's name in this page's language: city[cityName].
export const cityName = document.documentElement.lang.startsWith("zh-Hans") ? 1
  : document.documentElement.lang.startsWith("zh") ? 2 : 0;

// ---- Her position -----------------------------------------------------------
// Rounded by nobody: it only moves the map, and only the map's centre, rounded,
// ever leaves a page (the picker's answer).
export const whereIAm = () => new Promise((resolve, reject) => {
  if (!("geolocation" in navigator)) {
    reject(new Error("no geolocation"));
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (position) => resolve([position.coords.latitude, position.coords.longitude]),
    reject, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
});
// True only if she already let this site know where she is: never a prompt.
export const alreadyAllowed = async () => {
  try {
    return (await navigator.permissions.query({ name: "geolocation" })).state === "granted";
  } catch {
    return false;
  }
};
