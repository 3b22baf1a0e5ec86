// CPU profile of the scanning workers during the walk: serves a build, drops ARCHIVE, attaches
// to every dedicated worker through the browser's DevTools protocol, runs the sampling
// profiler in each for SECONDS (default 8) from 2 s after the drop, and prints each worker's
// 30 functions with the most self time.
// For function names, build without wasm-opt and with the name section (both wasm links):
//   sed -e 's|data-cargo-profile-release="release-app">|data-cargo-profile-release="release-app" data-wasm-opt="0" data-keep-debug>|' \
//       -e 's|data-type="worker" data-loader-shim>|data-type="worker" data-loader-shim data-wasm-opt="0" data-keep-debug>|' \
//     index.html > index-prof.html && trunk build --release --dist /tmp/prof index-prof.html
// Usage: node bench/profile-workers.mjs /tmp/prof bench/out/backup-1700.zip [SECONDS]
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/server.mjs';

const [dist, archive, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg) || 8;
const { server, port } = await serve(path.resolve(dist), '/p/');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await (await browser.newContext()).newPage();
await page.goto(`http://127.0.0.1:${port}/p/`);
await page.waitForSelector('#backup-input:not([disabled])');
const cdp = await browser.newBrowserCDPSession();
// Child sessions without "flatten": commands go in Target.sendMessageToTarget, answers come
// back as Target.receivedMessageFromTarget events.
let nextId = 1;
const waiting = new Map();
cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
  const m = JSON.parse(message);
  const w = waiting.get(`${sessionId}:${m.id}`);
  if (w) { waiting.delete(`${sessionId}:${m.id}`); m.error ? w.reject(new Error(m.error.message)) : w.resolve(m.result); }
});
const send = (sessionId, method, params = {}) => new Promise((resolve, reject) => {
  const id = nextId++;
  waiting.set(`${sessionId}:${id}`, { resolve, reject });
  cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
});
await page.setInputFiles('#backup-input', archive);
await new Promise((r) => setTimeout(r, 2000));
const { targetInfos } = await cdp.send('Target.getTargets');
const workers = targetInfos.filter((t) => t.type === 'worker');
const sessions = [];
for (const t of workers) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
  await send(sessionId, 'Profiler.enable');
  await send(sessionId, 'Profiler.setSamplingInterval', { interval: 500 });
  await send(sessionId, 'Profiler.start');
  sessions.push({ sessionId, title: t.title || t.url });
}
await new Promise((r) => setTimeout(r, seconds * 1000));
for (const { sessionId, title } of sessions) {
  let profile;
  try { ({ profile } = await send(sessionId, 'Profiler.stop')); } catch (e) { console.log(`${title}: ${e.message}`); continue; }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(anon ${n.callFrame.url.split('/').pop()})`;
    const us = profile.timeDeltas[i] || 0;
    total += us;
    self.set(name, (self.get(name) || 0) + us);
  });
  console.log(`\n${title} — ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [n, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log((us / 1000).toFixed(1).padStart(8), 'ms', `${(100 * us / total).toFixed(1).padStart(5)} %`, n.slice(0, 140));
  }
}
await browser.close();
server.close();
