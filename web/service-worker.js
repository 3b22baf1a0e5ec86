// The service worker: once the page has been opened online, it opens and scans without a
// network (a host's help centre may be what the owner opens on a flaky connection while their
// site is down). A file of its own, so the page's strict CSP needs no exception.
//
// What it keeps, in one cache per deployment (`BUILD` is written in by
// scripts/service-worker.py at build time, from the hashed file names Trunk produced):
//   - the shell (page, boot script, styles, both wasm modules and their JS, config.json) at
//     install: all or nothing, so a half-cached deployment never takes over;
//   - every release manifest, fetched one by one in the background after the page asks
//     (`top-up`), and any manifest or the sample the moment it is first fetched anyway.
// A new deployment has a new `BUILD.version`, so a new sw.js: it installs beside the old one,
// takes over when the old page is gone, and deletes the old deployment's cache. Caches of
// other deployments on the same origin (another sub-path) are never touched.
//
// Requests: the page, its scripts, wasm and styles come from this deployment's cache first —
// all from one deployment, never a new page with an old worker (the worker's files have fixed
// names). config.json goes to the network first (a host's new support address shows at once),
// falling back to the cache after NAV_TIMEOUT_MS or on an error. Manifests and the sample are
// immutable per deployment. Nothing outside this folder, and nothing but GET, is touched.
//
// Updates: a new sw.js installs in the background while the old page runs; the browser moves
// to it once no tab uses the old one, or at the next page start (boot.js asks a waiting worker
// to take over before anything was dropped, then reloads).
'use strict';

const BUILD = /* BUILD */ { version: 'unbuilt', shell: [], background: [] } /* /BUILD */;

const SCOPE = new URL(self.registration.scope);
const OWN = `site-triage:${SCOPE.pathname}:`;
const CACHE = OWN + BUILD.version;
const NAV_TIMEOUT_MS = 3000;
const url = (rel) => new URL(rel, SCOPE).href;
const INDEX = url('./');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(BUILD.shell.map((rel) => new Request(url(rel), { cache: 'reload' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(OWN) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Fetches what the cache lacks of the background list, one file at a time. One run at a time.
let topping = null;
function topUp() {
  topping ??= (async () => {
    const cache = await caches.open(CACHE);
    for (const rel of BUILD.background) {
      const req = new Request(url(rel));
      if (await cache.match(req)) continue;
      try {
        const res = await fetch(req, { cache: 'no-cache' });
        if (keepable(res)) await cache.put(req, res);
      } catch {
        break; // offline again: the next page load tries once more
      }
    }
  })().finally(() => { topping = null; });
  return topping;
}

async function status() {
  const cache = await caches.open(CACHE);
  const wanted = [...BUILD.shell, ...BUILD.background];
  let cached = 0;
  for (const rel of wanted) if (await cache.match(url(rel))) cached += 1;
  return { version: BUILD.version, cached, total: wanted.length };
}

self.addEventListener('message', (event) => {
  const kind = event.data && event.data.type;
  if (kind === 'skip-waiting') {
    self.skipWaiting();
  } else if (kind === 'top-up') {
    event.waitUntil(topUp());
  } else if (kind === 'status' && event.ports[0]) {
    const port = event.ports[0];
    event.waitUntil((topping || Promise.resolve()).then(status).then((s) => port.postMessage(s)));
  }
});

function keepable(res) {
  return res && res.status === 200 && res.type === 'basic';
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const u = new URL(req.url);
  if (u.origin !== SCOPE.origin || !u.pathname.startsWith(SCOPE.pathname)) return;
  if (req.mode === 'navigate') {
    event.respondWith(page(req));
  } else if (u.href === url('config.json')) {
    event.respondWith(networkFirst(req));
  } else {
    event.respondWith(cacheFirst(req));
  }
});

// The page of this deployment (any URL of the folder is the app), or the network's if the
// cache lacks it.
async function page(req) {
  const cached = await (await caches.open(CACHE)).match(INDEX);
  return cached || fetch(req);
}

// The network's answer, kept, or the cached one if the network fails or is slower than
// NAV_TIMEOUT_MS.
async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  const network = fetch(req).then(async (res) => {
    if (keepable(res)) await cache.put(req, res.clone());
    return res;
  });
  network.catch(() => {}); // handled below; a late failure after the timeout is no error
  const timeout = new Promise((resolve) => setTimeout(resolve, NAV_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
  } catch {
    // offline: the cache answers
  }
  const cached = await cache.match(req);
  return cached || network;
}

async function cacheFirst(req) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(req);
  if (cached) return cached;
  const res = await fetch(req);
  const rel = new URL(req.url).pathname.slice(SCOPE.pathname.length);
  if (keepable(res) && (rel.startsWith('manifests/') || rel.startsWith('sample/') || BUILD.shell.includes(rel))) {
    await cache.put(req, res.clone());
  }
  return res;
}
