// Starts the page's wasm. External (not inline) so the Content-Security-Policy can forbid
// inline scripts; Trunk fills in the hashed file names (Trunk.toml: pattern_script).
const boot = document.getElementById('boot');
const app = await import(new URL(boot.dataset.js, document.baseURI).href);
await app.default({ module_or_path: new URL(boot.dataset.wasm, document.baseURI).href });

// Offline after the first visit: the service worker (web/service-worker.js) caches the app at
// install; once it runs, it is asked to fetch the release manifests in the background. Where
// service workers are unavailable (not a secure context, disabled, a private window in some
// browsers) the page works as before, online only.
// A new deployment's worker that installed during an earlier visit takes over now, before
// anything was dropped, and the page reloads once to be the new deployment's.
if ('serviceWorker' in navigator && window.isSecureContext) {
  const sw = navigator.serviceWorker;
  sw.register(new URL('sw.js', document.baseURI).href)
    .then((registration) => {
      if (registration.waiting && sw.controller) {
        sw.addEventListener('controllerchange', () => window.location.reload(), { once: true });
        registration.waiting.postMessage({ type: 'skip-waiting' });
      }
      return sw.ready;
    })
    .then((registration) => registration.active && registration.active.postMessage({ type: 'top-up' }))
    .catch(() => {});
}
