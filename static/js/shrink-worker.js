// Shrinks a photo off the main thread, for shrink.js: decodes it upright, scales
// its long side down to the server's cap and encodes it again as a JPEG of pixels
// only, at the best quality that fits the budget. A classic worker (it imports
// nothing; module workers came late to WebKit). Anything it cannot do, it says
// so, and shrink.js sends the photo she chose as it is.

// A 2 x 1 JPEG whose EXIF says "turn me a quarter": an engine that turns photos
// upright as it decodes them gives 1 x 2. One that does not would send a photo
// lying on its side, so then this worker refuses, and the server turns it.
const SIDEWAYS_JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAIDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD0CiiigD//2Q==";

let turnsUpright;
async function decodesUpright() {
  if (turnsUpright === undefined) {
    const bytes = Uint8Array.from(atob(SIDEWAYS_JPEG), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/jpeg" }),
      { imageOrientation: "from-image" });
    turnsUpright = bitmap.width === 1 && bitmap.height === 2;
    bitmap.close();
  }
  return turnsUpright;
}

async function shrink({ file, maxSide, budget, qualities }) {
  if (!(await decodesUpright())) throw new Error("this browser does not turn photos upright");
  // Rejects what the engine cannot decode (HEIC in Chromium and Firefox).
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    // White under transparent parts, as the server puts them.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    let smallest;
    for (const quality of qualities) {
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
      if (blob.type !== "image/jpeg") throw new Error("this browser cannot write JPEG");
      if (!smallest || blob.size < smallest.size) smallest = blob;
      if (blob.size <= budget) break;
    }
    return { blob: smallest, width, height };
  } finally {
    bitmap.close();
  }
}

// Said first, so the page knows the script loaded (see START_MS in shrink.js).
self.postMessage({ started: true });

self.onmessage = (event) => {
  shrink(event.data).then(
    (result) => self.postMessage(result),
    (error) => self.postMessage({ error: String(error && error.message || error) }),
  );
};
