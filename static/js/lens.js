// The lens finder (issue 18): the camera shows a high-contrast red view, as red film
// over the lens does, and rings mark the small bright points that behave like the
// glint of a hidden lens. Everything happens on this phone: frames go to a worker
// (lens-worker.js) on the same phone and nowhere else; the page's CSP says
// connect-src 'none', so the browser itself would refuse any request.
//
// The red view is the video itself, filtered by the stylesheet (a red layer
// multiplied over it, the contrast raised): the browser composites it at the
// camera's own frame rate, and this script only hands frames to the worker.
//
// Without a camera API (or without JavaScript) the section stays hidden and the page
// is the manual method, which stays visible below in every case.
//
// window.__lensStats holds the frame timings and what was marked, for
// tests/lens/test_lens_browser.py and bench/lens.py; it never leaves the page. (A hook
// for them, not a contract between modules: this module imports nothing.)
//
// An ES module, loaded by the lens page only. Its worker stays a classic worker:
// module workers came to WebKit only in Safari 15, and the worker imports nothing.

const ANALYSIS_SIZE = 240;   // the longer side of the frames the worker looks at
const ZOOMS = [1, 1.5, 2, 3, 4];
const TIMINGS_KEPT = 600;    // the last frames' timings (about 20 s at 30 fps)

function setUpLens(root) {
  const $ = (hook) => root.querySelector(`[data-lens-${hook}]`);
  const startButton = $("start"), stopButton = $("stop"), torchButton = $("torch"), irButton = $("ir");
  const view = $("view"), video = $("video"), canvas = $("canvas"), marksLayer = $("marks");
  const zoomIn = $("zoom-in"), zoomOut = $("zoom-out");
  const countLine = root.querySelector("[data-glint-count]");
  const status = $("status"), irStatus = $("ir-status");
  const manual = document.querySelector("[data-lens-manual]");
  const words = root.dataset;

  // The frames for the worker: the camera's own frame where the browser has WebCodecs
  // (the worker makes it small, off this thread), else drawn small and read here.
  let sendFrames = typeof VideoFrame === "function";
  const small = canvas.getContext("2d", { willReadFrequently: true });

  // Made now, not on Start: loading it then would be a request while the camera runs.
  let worker = null;
  try {
    worker = new Worker(words.worker);
  } catch {
    worker = null; // the red view still works; only the marks are missing
  }

  const stats = {
    frames: 0, analysed: 0, startedAt: null, firstMarkAt: null, marksEver: 0,
    marks: [], readMs: [], workerMs: [], wholeMs: [],
  };
  window.__lensStats = stats;
  const keep = (list, value) => {
    list.push(value);
    if (list.length > TIMINGS_KEPT) list.shift();
  };

  let stream = null;
  let infrared = false;
  let torchOn = false;
  let zoom = 0;              // index into ZOOMS
  let busy = false;          // a frame is with the worker: skip, never queue
  let frameRequest = null;
  let readMs = 0;             // this thread's work on the frame with the worker
  let sentAt = 0;             // when that frame came
  let marks = [];
  const seen = new Set();    // every track id ever marked in this run
  const rings = new Map();   // track id -> its ring element
  let countShown = null;
  let starting = false;
  let runStartedAt = 0;      // results of frames sent before this belong to an earlier run

  function say(message) {
    status.textContent = message;
  }

  // Infrared mode turns the screen to face the room: the button, a status line (announced)
  // and a frame round the view all say so, and the page says how to see the screen.
  function showInfrared() {
    irButton.setAttribute("aria-pressed", String(infrared));
    irButton.textContent = infrared ? words.irOn : words.irOff;
    irStatus.textContent = infrared ? words.irStatus : "";
    root.toggleAttribute("data-infrared", infrared);
  }

  function showCount(count) {
    if (count === countShown) return; // aria-live announces changes only
    countShown = count;
    countLine.textContent = count === 0 ? words.countNone : words.countSome.replace("{count}", count);
  }

  async function start() {
    if (starting) return;
    starting = true;
    stop();
    say("");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: { ideal: infrared ? "user" : "environment" },
          width: { ideal: 640 },
          height: { ideal: 480 },
        },
      });
    } catch {
      starting = false;
      refused();
      return;
    }
    starting = false;
    runStartedAt = performance.now();
    stats.startedAt = runStartedAt;
    stats.firstMarkAt = null;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // Autoplay of a muted camera stream is allowed everywhere; frames come anyway.
    }
    view.hidden = false;
    stopButton.hidden = false;
    startButton.hidden = true;
    root.toggleAttribute("data-running", true);
    showCount(0);
    offerTorch();
    nextFrame();
    root.querySelector(".lens-controls").scrollIntoView({ block: "start" });
  }

  function refused() {
    stop();
    say(words.refused);
    manual.hidden = false;
  }

  function stop() {
    if (frameRequest !== null) {
      if (video.cancelVideoFrameCallback) video.cancelVideoFrameCallback(frameRequest);
      else cancelAnimationFrame(frameRequest);
      frameRequest = null;
    }
    if (stream) {
      for (const track of stream.getTracks()) track.stop();
      stream = null;
    }
    video.srcObject = null;
    view.hidden = true;
    stopButton.hidden = true;
    torchButton.hidden = true;
    startButton.hidden = false;
    root.removeAttribute("data-running");
    torchOn = false;
    busy = false;
    if (worker) worker.postMessage({ reset: true });
    showMarks([]);
    seen.clear();
    countShown = null;
    countLine.textContent = "";
  }

  // The torch is a constraint of the camera's track where the phone allows it (Chrome
  // on Android); elsewhere she is told how to light the room instead.
  function offerTorch() {
    const track = stream.getVideoTracks()[0];
    const capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    if (capabilities.torch) {
      torchButton.hidden = false;
      showTorch();
    } else if (!infrared) {
      say(words.noTorch);
    }
  }

  function showTorch() {
    torchButton.textContent = torchOn ? words.torchOff : words.torchOn;
    torchButton.setAttribute("aria-pressed", String(torchOn));
  }

  async function toggleTorch() {
    const track = stream && stream.getVideoTracks()[0];
    if (!track) return;
    try {
      await track.applyConstraints({ advanced: [{ torch: !torchOn }] });
      torchOn = !torchOn;
    } catch {
      torchButton.hidden = true;
      say(words.noTorch);
    }
    showTorch();
  }

  function nextFrame() {
    frameRequest = video.requestVideoFrameCallback
      ? video.requestVideoFrameCallback(onFrame)
      : requestAnimationFrame(onFrame);
  }

  function onFrame() {
    frameRequest = null;
    if (!stream) return;
    const width = video.videoWidth, height = video.videoHeight;
    if (width && height) {
      stats.frames++;
      if (!busy && worker) analyse(width, height);
    }
    nextFrame();
  }

  // The whole frame to the worker, handed over, not copied. One frame at a time: while
  // the worker is busy, frames are skipped, never queued.
  function analyse(width, height) {
    busy = true;
    sentAt = performance.now();
    const scale = ANALYSIS_SIZE / Math.max(width, height);
    const w = Math.round(width * scale), h = Math.round(height * scale);
    if (sendFrames) {
      try {
        const frame = new VideoFrame(video);
        worker.postMessage({ width: w, height: h, frame, time: sentAt }, [frame]);
        readMs = performance.now() - sentAt;
        return;
      } catch {
        sendFrames = false;
      }
    }
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    small.drawImage(video, 0, 0, w, h);
    const pixels = small.getImageData(0, 0, w, h);
    worker.postMessage({ width: w, height: h, buffer: pixels.data.buffer, time: sentAt }, [pixels.data.buffer]);
    readMs = performance.now() - sentAt;
  }

  function onDetected(event) {
    const { marks: found, ms, time, unreadable } = event.data;
    if (time < runStartedAt) return; // from before Stop or a change of camera
    busy = false;
    if (unreadable) sendFrames = false; // this camera's frames: drawn small here instead
    if (!stream || unreadable) return;
    stats.analysed++;
    keep(stats.readMs, readMs);
    keep(stats.workerMs, ms);
    keep(stats.wholeMs, performance.now() - sentAt); // from the frame to its marks
    showMarks(found);
  }

  // One ring per glint, kept while the worker keeps following it; placed in % of the
  // view, through the zoom (which crops around the middle).
  function showMarks(found) {
    marks = found;
    const scale = ZOOMS[zoom];
    const shown = [];
    for (const mark of found) {
      const x = 0.5 + (mark.x - 0.5) * scale, y = 0.5 + (mark.y - 0.5) * scale;
      if (x < 0 || x > 1 || y < 0 || y > 1) continue;
      shown.push(mark.id);
      let ring = rings.get(mark.id);
      if (!ring) {
        ring = document.createElement("div");
        ring.className = "lens-mark";
        const label = document.createElement("span");
        label.textContent = words.markLabel;
        ring.append(label);
        marksLayer.append(ring);
        rings.set(mark.id, ring);
      }
      ring.style.left = `${(x * 100).toFixed(2)}%`;
      ring.style.top = `${(y * 100).toFixed(2)}%`;
      ring.classList.toggle("lens-mark-low", y > 0.75); // its words above it, near the bottom
      if (!seen.has(mark.id)) {
        seen.add(mark.id);
        stats.marksEver++;
        if (stats.firstMarkAt === null) stats.firstMarkAt = performance.now();
      }
    }
    for (const [id, ring] of rings) {
      if (!shown.includes(id)) {
        ring.remove();
        rings.delete(id);
      }
    }
    stats.marks = found.filter((m) => shown.includes(m.id)).map(({ x, y }) => ({ x, y }));
    if (stream) showCount(shown.length);
  }

  function setZoom(index) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, index));
    zoomOut.disabled = zoom === 0;
    zoomIn.disabled = zoom === ZOOMS.length - 1;
    video.style.transform = zoom ? `scale(${ZOOMS[zoom]})` : "";
    showMarks(marks);
  }

  // Pinch: two fingers apart zoom in, together zoom out, a step per 1.4x of distance.
  const fingers = new Map();
  let pinchFrom = null;
  view.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "touch") return;
    fingers.set(event.pointerId, [event.clientX, event.clientY]);
  });
  view.addEventListener("pointermove", (event) => {
    if (!fingers.has(event.pointerId)) return;
    fingers.set(event.pointerId, [event.clientX, event.clientY]);
    if (fingers.size !== 2) return;
    const [[x1, y1], [x2, y2]] = fingers.values();
    const distance = Math.hypot(x2 - x1, y2 - y1);
    if (pinchFrom === null) pinchFrom = distance;
    if (distance > pinchFrom * 1.4) { setZoom(zoom + 1); pinchFrom = distance; }
    if (distance < pinchFrom / 1.4) { setZoom(zoom - 1); pinchFrom = distance; }
  });
  const lift = (event) => {
    fingers.delete(event.pointerId);
    if (fingers.size < 2) pinchFrom = null;
  };
  view.addEventListener("pointerup", lift);
  view.addEventListener("pointercancel", lift);

  if (worker) worker.addEventListener("message", onDetected);
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  torchButton.addEventListener("click", toggleTorch);
  irButton.addEventListener("click", () => {
    infrared = !infrared;
    showInfrared();
    if (infrared || stream) start(); // the other camera, at once
  });
  zoomIn.addEventListener("click", () => setZoom(zoom + 1));
  zoomOut.addEventListener("click", () => setZoom(zoom - 1));
  // The camera is for this page only, and only while it is open.
  window.addEventListener("pagehide", stop);
  setZoom(0);
  showInfrared();
  root.hidden = false;
}

const lensRoot = document.querySelector("[data-lens]");
if (lensRoot && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) setUpLens(lensRoot);
