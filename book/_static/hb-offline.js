// Registers the site's service worker (hb-sw.js at the site root): the calculator engine is downloaded once per
// reader and kept, and pages already read open offline. Nothing happens on file:// or in browsers without workers.
if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
  const root = document.documentElement.dataset.content_root || "./";
  navigator.serviceWorker.register(new URL(root + "hb-sw.js", location.href)).catch(() => {});
  // On the first visit the worker starts after this page began loading: hand it what the page loaded
  // (it keeps the versioned files, from the browser's HTTP cache), at load and once the calculator engine is ready.
  const keep = () => navigator.serviceWorker.ready
    .then((registration) => registration.active?.postMessage({ keep: performance.getEntriesByType("resource").map((e) => e.name) }))
    .catch(() => {});
  window.addEventListener("load", () => setTimeout(keep, 500));
  let waited = 0;
  const timer = setInterval(() => {
    const state = window.hbCalculators?.state;
    waited += 1;
    if ((state && state !== "loading") || waited > 120) {
      clearInterval(timer);
      if (state === "ready") keep();
    }
  }, 1000);
}
