// Starts the page's wasm. External (not inline) so the Content-Security-Policy can forbid
// inline scripts; Trunk fills in the hashed file names (Trunk.toml: pattern_script).
const boot = document.getElementById('boot');
const app = await import(new URL(boot.dataset.js, document.baseURI).href);
await app.default({ module_or_path: new URL(boot.dataset.wasm, document.baseURI).href });

// Offline after the first visit: the service worker (web/service-worker.js) caches the app at
// install; once it runs, it is asked to fetch the release manifests in the background. Where
// service workers are unavailable (not a secure context, disabled, a private window in some
// browsers) the page works as before, online only.
//
// A new deployment: its worker installs beside the running one (found at this load, or
// already waiting from an earlier visit). Until the owner first touches the page (a click, a
// key, a file), it asks the new worker to take over as soon as that is installed and reloads
// once, to be the new deployment's page; after that nothing interrupts them. Browsers may hold
// the new worker back while the old one still controls a page (Chromium sometimes does); then
// it takes over at the next visit, which tests/e2e/engines.mjs checks in every engine.
if ('serviceWorker' in navigator && window.isSecureContext) {
  const sw = navigator.serviceWorker;
  let busy = false;
  for (const kind of ['pointerdown', 'keydown', 'change', 'drop']) document.addEventListener(kind, () => { busy = true; }, { capture: true });
  const handOver = (worker) => {
    if (busy || !sw.controller || !worker) return;
    sw.addEventListener('controllerchange', () => { if (!busy) window.location.reload(); }, { once: true });
    worker.postMessage({ type: 'skip-waiting' });
  };
  const whenInstalled = (worker) => {
    if (!worker) return;
    if (worker.state === 'installed') { handOver(worker); return; }
    worker.addEventListener('statechange', () => { if (worker.state === 'installed') handOver(worker); });
  };
  sw.register(new URL('sw.js', document.baseURI).href)
    .then((registration) => {
      whenInstalled(registration.waiting || registration.installing);
      registration.addEventListener('updatefound', () => whenInstalled(registration.installing));
      return sw.ready;
    })
    // Not on a connection the reader asked to save data on (Save-Data): there each manifest
    // is kept when a scan first needs it.
    .then((registration) => registration.active && !(navigator.connection && navigator.connection.saveData)
      && registration.active.postMessage({ type: 'top-up' }))
    .catch(() => {});
}
