// CPU profile of the page's main thread while a finished report arrives: serves a build,
// drops ARCHIVE, starts the DevTools protocol's sampling profiler once the scan is in its last
// phase, stops 1.5 s after the verdict, and prints the 40 functions with the most self time.
// For function names, build the page without wasm-opt and with its name section:
//   sed 's|data-cargo-profile-release="release-app">|data-cargo-profile-release="release-app" data-wasm-opt="0" data-keep-debug>|' \
//     index.html > index-prof.html && trunk build --release --dist /tmp/prof index-prof.html
// Usage: node bench/profile.mjs /tmp/prof bench/out/backup-1700.zip
// "(program)" is the browser's own work (style, layout, paint), not JS or wasm.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/server.mjs';
const [dist, archive] = process.argv.slice(2);
const { server, port } = await serve(path.resolve(dist), '/p/');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await (await browser.newContext()).newPage();
const cdp = await page.context().newCDPSession(page);
await page.goto(`http://127.0.0.1:${port}/p/`);
await page.waitForSelector('#backup-input:not([disabled])');
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await page.setInputFiles('#backup-input', archive);
// Start late: when the scan is in its last phase.
await page.waitForFunction(() => /Comparing every file|Loading the clean/.test(document.body.textContent), null, { timeout: 600000, polling: 20 });
await cdp.send('Profiler.start');
await page.waitForSelector('#verdict-title', { timeout: 600000 });
await new Promise((r) => setTimeout(r, 1500));
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
for (const [id, us] of counts) {
  const n = byId.get(id); const name = n.callFrame.functionName || '(anon ' + n.callFrame.url.split('/').pop() + ')';
  self.set(name, (self.get(name) || 0) + us);
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [n, us] of top) console.log((us / 1000).toFixed(1).padStart(8), 'ms', n.slice(0, 150));
await browser.close(); server.close();
