// WGS-84 <-> GCJ-02 ("Mars coordinates"). Map tiles from mainland-China providers
// (AMap/Gaode, Tencent) are drawn in GCJ-02, so a GPS (WGS-84) point lands a few
// hundred metres off unless shifted first. Pure arithmetic: nothing leaves the page.
// An ES module: tiles.js imports it for GCJ-02 tiles; tests/map/test_gcj02.py runs it under Node.

// The widely published forward algorithm (as in googollee/eviltransform and
// wandergis/coordtransform): Krasovsky 1940 ellipsoid plus two polynomial and
// trigonometric "noise" terms, in metres, relative to (105 E, 35 N).
const A = 6378245.0; // Krasovsky 1940 semi-major axis, metres
const EE = 0.00669342162296594323; // its first eccentricity squared
const PI = Math.PI;

function transformLat(x, y) {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y;
  ret += 0.2 * Math.sqrt(Math.abs(x));
  ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  ret += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  ret += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  return ret;
}

function transformLon(x, y) {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y;
  ret += 0.1 * Math.sqrt(Math.abs(x));
  ret += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  ret += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  ret += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  return ret;
}

// The shift (GCJ-02 minus WGS-84) in degrees at a WGS-84 point; metres to
// degrees through the ellipsoid's meridian and parallel radii of curvature.
function delta(lat, lon) {
  const radLat = lat / 180.0 * PI;
  const magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
  const sqrtMagic = Math.sqrt(magic);
  const x = lon - 105.0;
  const y = lat - 35.0;
  const dLat = transformLat(x, y) * 180.0 / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
  const dLon = transformLon(x, y) * 180.0 / (A / sqrtMagic * Math.cos(radLat) * PI);
  return [dLat, dLon];
}

// Which points get shifted: eviltransform's rough bounding box
// (72.004-137.8347 E, 0.8293-55.8271 N), the rule most ports share. It is a
// box, not a border: it also covers Mongolia, Korea, northern Vietnam and so
// on, so call toGcj02 only when drawing on GCJ-02 tiles, never to store data.
// Hong Kong, Macau and Taiwan stay inside on purpose. AMap states it applies
// GCJ-02 in Hong Kong and Macau too (lbs.amap.com/faq/advisory/others/39840);
// for Taiwan we found no provider statement, and every common library shifts
// it, so we do the same. Google Maps and OSM draw all three in plain WGS-84,
// but their tiles need no conversion anywhere, so that does not matter here.
function outOfChina(lat, lon) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

// WGS-84 (lat, lon) -> GCJ-02 [lat, lon]; unchanged outside the box.
function toGcj02(lat, lon) {
  if (outOfChina(lat, lon)) return [lat, lon];
  const d = delta(lat, lon);
  return [lat + d[0], lon + d[1]];
}

// GCJ-02 (lat, lon) -> WGS-84 [lat, lon]. There is no closed form, but the
// shift varies slowly, so fixed-point iteration (eviltransform's
// gcj2wgs_exact) converges fast: guess, shift the guess forward, move the
// guess back by the miss. 1e-7 degrees is about a centimetre; across
// mainland China that takes at most 4 rounds, and the cap is only a guard.
const TOLERANCE = 1e-7;
const MAX_ITERATIONS = 30;

function fromGcj02(lat, lon) {
  if (outOfChina(lat, lon)) return [lat, lon];
  let wgsLat = lat;
  let wgsLon = lon;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const d = delta(wgsLat, wgsLon);
    const missLat = wgsLat + d[0] - lat;
    const missLon = wgsLon + d[1] - lon;
    wgsLat -= missLat;
    wgsLon -= missLon;
    if (Math.abs(missLat) < TOLERANCE && Math.abs(missLon) < TOLERANCE) break;
  }
  return [wgsLat, wgsLon];
}

export { toGcj02, fromGcj02, outOfChina }; // (lat, lon) -> [lat, lon]
