// Service worker of the handbook site (registered by hb-offline.js; copied to the site root by tools/offline.py,
// which fills in the version). It keeps the in-browser calculator engine, so a second calculator page and a repeat
// visit load it from this cache, offline too; pages and other files are fetched fresh and kept for offline reading.
const VERSION = "__HB_VERSION__"; // digest of _static/ and the search index (tools/offline.py): changes with them
const ASSETS = `hb-assets-${VERSION}`; // Pyodide, vendor scripts, the calculators app, theme files, search index
const PAGES = `hb-pages-${VERSION}`;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // "hb-snapshot" is the calculators' interpreter copy (calculators.js): keyed by build, replaced by the pages.
    for (const name of await caches.keys()) if (![ASSETS, PAGES, "hb-snapshot"].includes(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

// Versioned files (their digest is VERSION): everything under _static/ (Pyodide, the calculators app, theme
// scripts and styles) and the search index. Pages are fetched fresh (network first).
const versioned = (url) => url.pathname.includes("/_static/") || url.pathname.endsWith("/searchindex.js");

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200) await cache.put(request, response.clone()).catch(() => {});
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200) await cache.put(request, response.clone()).catch(() => {});
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
    if (hit) return hit;
    throw error;
  }
}

// A page hands over the files it loaded before this worker controlled it (hb-offline.js). Hand-overs run one after
// another (a page sends one at load and one when the engine is ready), so a file is never fetched twice at once.
let handover = Promise.resolve();

async function keepLoaded(urls) {
  const cache = await caches.open(ASSETS);
  for (const href of urls) {
    const url = new URL(href);
    if (url.origin !== self.location.origin || !versioned(url) || (await cache.match(href, { ignoreVary: true }))) continue;
    try {
      const response = await fetch(href);
      if (response.ok && response.status === 200) await cache.put(href, response);
    } catch (error) { /* offline: kept next time */ }
  }
}

self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  handover = handover.then(() => keepLoaded(urls)).catch(() => {});
  event.waitUntil(handover);
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || request.headers.has("range")) return;
  if (versioned(url)) event.respondWith(cacheFirst(request));
  // Pages and their images: fresh from the server, kept for offline reading. Anything else is left to the browser.
  else if (request.mode === "navigate" || request.destination === "image") event.respondWith(networkFirst(request));
});
