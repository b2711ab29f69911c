"use strict";
// The lens finder's glint detector (issue 18), in a Web Worker so the page keeps its
// frame rate. lens.js sends each camera frame (or, where the browser has no
// VideoFrame, the frame already made small); this looks at it at about 240 x 180,
// finds the spots that behave like a lens catching a light and says where they are.
//
// A glint is:
//   - small: a near-point of 1-6 px at this scale, with nothing bright around it, so
//     a lamp, a lit edge, a glossy wall or the torch's reflection in a mirror is not one;
//   - very bright, and much brighter than its surroundings;
//   - there frame after frame: seen in at least MIN_HITS frames over MIN_AGE_MS, where
//     it was (or where the whole picture moved to), so sensor sparkle, dust in the
//     light and a highlight sliding over a glossy surface never add up to a mark.
//
// Message in:  { width, height, time (ms), and frame (the camera's VideoFrame, at its
//              own size) or buffer (the RGBA bytes of the frame made small) }, both
//              transferred; or { reset: true } when the camera stops or changes.
// Message out: { unreadable: true, time } for a frame it cannot read, or
//              { marks: [{ id, x, y }] (x, y in 0..1 of the frame), time (as sent), ms,
//              candidates }

const MIN_PEAK = 150;        // brightest channel, 0..255: a glint is close to white
const MIN_CONTRAST = 60;     // peak minus the mean of its surroundings
const CORE = 3;              // the bright part lies within this radius (a 7 x 7 box)
const RING = 7;              // ...and nothing bright from there out to this radius
const MAX_AREA = 30;         // pixels above half height in the core: about a 6 px disc
const MAX_CANDIDATES = 24;   // per frame, the highest contrast first
const SEARCH = 3;            // px a glint may move between frames beyond the picture's shift
const MAX_SHIFT = 12;        // px the whole picture may move between frames
const MIN_HITS = 5;          // frames a glint must be seen in...
const MIN_AGE_MS = 280;      // ...over at least this long, before it is marked
const FORGET_MS = 500;       // a track not seen for this long ends (and so does its mark)

let lum = null;              // the brightest channel of each pixel
let sums = null;             // its integral image, (width + 1) x (height + 1)
let columns = null, rows = null, lastColumns = null, lastRows = null;
let tracks = [];
let nextId = 1;
let frameBytes = null;       // a camera frame's planes, copied out of its VideoFrame

// Full-range RGB from video-range YUV (BT.601), as the browser would draw it.
const Y_SCALE = 255 / 219, CHROMA_SCALE = 255 / 224;
function prepare(width, height) {
  if (lum && lum.length === width * height) return;
  lum = new Uint8Array(width * height);
  sums = new Uint32Array((width + 1) * (height + 1));
  columns = new Float32Array(width);
  rows = new Float32Array(height);
  lastColumns = lastRows = null;
  tracks = [];
}

// Each pixel's brightest channel: a white glint and an infrared LED's purple dot alike.

function fromRgba(rgba) {
  for (let i = 0, j = 0; j < lum.length; i += 4, j++) {
    const r = rgba[i], g = rgba[i + 1], b = rgba[i + 2];
    lum[j] = r > g ? (r > b ? r : b) : (g > b ? g : b);
  }
}

// A camera frame (WebCodecs), made small here rather than on the page's thread: the
// mean luma of each box of pixels, coloured by the chroma at its middle. Returns
// false for a frame whose pixels it cannot read (the page then sends RGBA instead).
async function fromFrame(frame, width, height) {
  const format = frame.format;
  const yuv = format === "I420" || format === "I420A" || format === "NV12";
  const rgb = format === "RGBA" || format === "RGBX" || format === "BGRA" || format === "BGRX";
  if (!yuv && !rgb) return false;
  const size = frame.allocationSize();
  if (!frameBytes || frameBytes.length < size) frameBytes = new Uint8Array(size);
  const planes = await frame.copyTo(frameBytes);
  const fullWidth = frame.visibleRect.width, fullHeight = frame.visibleRect.height;
  const bytes = frameBytes;
  // Every other pixel, each way, of a frame 2.5 times larger or more: a glint of two
  // pixels still lands on one, at a quarter of the reads.
  const step = fullWidth >= width * 2.5 ? 2 : 1;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fullHeight / height), y1 = Math.max(y0 + 1, Math.floor((y + 1) * fullHeight / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fullWidth / width), x1 = Math.max(x0 + 1, Math.floor((x + 1) * fullWidth / width));
      let sum = 0, count = 0;
      for (let yy = y0; yy < y1; yy += step) {
        const row = planes[0].offset + yy * planes[0].stride;
        for (let xx = x0; xx < x1; xx += step, count++) {
          if (yuv) sum += bytes[row + xx];
          else {
            const i = row + xx * 4, r = bytes[i], g = bytes[i + 1], b = bytes[i + 2];
            sum += r > g ? (r > b ? r : b) : (g > b ? g : b);
          }
        }
      }
      let v = sum / count;
      if (yuv) {
        const cx = (x0 + x1) >> 2, cy = (y0 + y1) >> 2; // the middle, in the half-size chroma
        let u, w;
        if (format === "NV12") {
          const i = planes[1].offset + cy * planes[1].stride + cx * 2;
          u = bytes[i]; w = bytes[i + 1];
        } else {
          u = bytes[planes[1].offset + cy * planes[1].stride + cx];
          w = bytes[planes[2].offset + cy * planes[2].stride + cx];
        }
        const luma = (v - 16) * Y_SCALE, cb = (u - 128) * CHROMA_SCALE, cr = (w - 128) * CHROMA_SCALE;
        v = Math.max(luma + 1.402 * cr, luma - 0.344 * cb - 0.714 * cr, luma + 1.772 * cb);
      }
      lum[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return true;
}

// The integral image of `lum`, and its column and row means, which give the picture's shift.
function summarise(width, height) {
  const stride = width + 1;
  columns.fill(0);
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      const v = lum[y * width + x];
      rowSum += v;
      columns[x] += v;
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + rowSum;
    }
    rows[y] = rowSum / width;
  }
  for (let x = 0; x < width; x++) columns[x] /= height;
}

function boxSum(width, x0, y0, x1, y1) { // inclusive corners, already clipped
  const stride = width + 1;
  return sums[(y1 + 1) * stride + x1 + 1] - sums[y0 * stride + x1 + 1]
    - sums[(y1 + 1) * stride + x0] + sums[y0 * stride + x0];
}

// The shift of a profile (column or row means) since the last frame, in whole pixels:
// the offset with the smallest mean absolute difference over the overlap.
function profileShift(now, before) {
  if (!before) return 0;
  const n = now.length;
  let best = 0, bestCost = Infinity;
  for (let s = -MAX_SHIFT; s <= MAX_SHIFT; s++) {
    let cost = 0, count = 0;
    for (let i = Math.max(0, s); i < Math.min(n, n + s); i++) {
      cost += Math.abs(now[i] - before[i - s]);
      count++;
    }
    cost = cost / count + Math.abs(s) * 0.01; // ties (a flat picture) go to no shift
    if (cost < bestCost) { bestCost = cost; best = s; }
  }
  return best;
}

// Small, bright, isolated peaks in this frame: [{ x, y, contrast }].
function findCandidates(width, height) {
  const found = [];
  const ringArea = (2 * RING + 1) ** 2 - (2 * CORE + 1) ** 2;
  for (let y = RING; y < height - RING; y++) {
    for (let x = RING; x < width - RING; x++) {
      const p = lum[y * width + x];
      if (p < MIN_PEAK) continue;
      // The mean of the ring around it, from the integral image: cheap enough to ask
      // of every bright pixel, and it throws out the inside of lamps and bright walls.
      const outer = boxSum(width, x - RING, y - RING, x + RING, y + RING);
      const inner = boxSum(width, x - CORE, y - CORE, x + CORE, y + CORE);
      const around = (outer - inner) / ringArea;
      if (p - around < MIN_CONTRAST) continue;
      // One pixel per peak: not below a neighbour, strictly above the earlier ones.
      const i = y * width + x;
      if (lum[i - 1] >= p || lum[i - width - 1] >= p || lum[i - width] >= p || lum[i - width + 1] >= p
        || lum[i + 1] > p || lum[i + width - 1] > p || lum[i + width] > p || lum[i + width + 1] > p) continue;
      const half = around + (p - around) / 2;
      if (!isolated(width, x, y, half)) continue;
      found.push({ x, y, contrast: p - around });
    }
  }
  found.sort((a, b) => b.contrast - a.contrast);
  return found.slice(0, MAX_CANDIDATES);
}

// A near-point: few pixels above half height in the core, and none in the ring.
function isolated(width, cx, cy, half) {
  let area = 0;
  for (let y = cy - RING; y <= cy + RING; y++) {
    const inCoreRow = Math.abs(y - cy) <= CORE;
    for (let x = cx - RING; x <= cx + RING; x++) {
      if (lum[y * width + x] < half) continue;
      if (!inCoreRow || Math.abs(x - cx) > CORE) return false;
      if (++area > MAX_AREA) return false;
    }
  }
  return true;
}

// Match this frame's candidates to the tracks: each track looks where it was and
// where the picture's shift took it, within SEARCH px; the rest start new tracks.
function follow(candidates, dx, dy, time) {
  const taken = new Set();
  for (const track of tracks) {
    let best = -1, bestDistance = SEARCH * SEARCH + 1;
    candidates.forEach((c, index) => {
      if (taken.has(index)) return;
      const still = (c.x - track.x) ** 2 + (c.y - track.y) ** 2;
      const moved = (c.x - track.x - dx) ** 2 + (c.y - track.y - dy) ** 2;
      const distance = Math.min(still, moved);
      if (distance < bestDistance) { bestDistance = distance; best = index; }
    });
    if (best < 0) continue;
    taken.add(best);
    const c = candidates[best];
    track.x = c.x;
    track.y = c.y;
    track.hits++;
    track.lastSeen = time;
  }
  tracks = tracks.filter((t) => time - t.lastSeen <= FORGET_MS);
  candidates.forEach((c, index) => {
    if (!taken.has(index)) tracks.push({ id: nextId++, x: c.x, y: c.y, hits: 1, firstSeen: time, lastSeen: time });
  });
}

self.onmessage = async (event) => {
  const { width, height, time, reset, frame, buffer } = event.data;
  if (reset) {
    tracks = [];
    lastColumns = lastRows = null;
    return;
  }
  const started = performance.now();
  prepare(width, height);
  if (frame) {
    let read = false;
    try {
      read = await fromFrame(frame, width, height);
    } finally {
      frame.close();
    }
    if (!read) {
      self.postMessage({ unreadable: true, time });
      return;
    }
  } else {
    fromRgba(new Uint8ClampedArray(buffer));
  }
  summarise(width, height);
  const dx = profileShift(columns, lastColumns);
  const dy = profileShift(rows, lastRows);
  [lastColumns, columns] = [columns, lastColumns || new Float32Array(width)];
  [lastRows, rows] = [rows, lastRows || new Float32Array(height)];
  const candidates = findCandidates(width, height);
  follow(candidates, dx, dy, time);
  const marks = tracks
    .filter((t) => t.hits >= MIN_HITS && t.lastSeen - t.firstSeen >= MIN_AGE_MS)
    .map((t) => ({ id: t.id, x: (t.x + 0.5) / width, y: (t.y + 0.5) / height }));
  self.postMessage({ marks, time, ms: performance.now() - started, candidates: candidates.length });
};
