// Browser benchmark: the built dist/ in headless Chromium scanning backups through the real
// drop flow (file input → workers → report), timed from the drop to the verdict.
//
// Memory: the peak resident memory (RSS) of Chromium's renderer process, which holds the
// page and its workers (and the wasm memories), sampled every 100 ms from /proc, plus the
// page's JS heap from the DevTools protocol (Performance.getMetrics). Responsiveness: a timer
// in the page ticks every 50 ms and records how late it fires (a blocked main thread shows as
// a long gap), and how often the scanning screen's figures (files, bytes, current file) change.
//
// Usage: node bench/browser.mjs RUNS ARCHIVE...   (after `trunk build --release`)
// BENCH_TRACE=1 prints the renderer's memory every 100 ms, with timestamps.
// BENCH_CHROMIUM_ARGS adds Chromium flags (e.g. '--js-flags=--trace-gc', with DEBUG=pw:browser).
// BENCH_DIST=dir serves another build than dist/ (A/B comparisons of two builds).
// BENCH_LOG=1 also prints the page's and the workers' console output, with timestamps.
// BENCH_SERIES=1 drops all ARCHIVEs together as several backups of one site (the page reads
// them one after another and compares them), timed to the comparison: one JSON line for all.
// Prints one JSON line per archive: {"archive", "seconds":[...], "peak_rss_mb", ...}.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const [runsArg, ...archives] = process.argv.slice(2);
const runs = Number(runsArg) || 1;
const PREFIX = '/bench/';

function rendererPids(browserPid) {
  // Every Chromium process under the browser whose command line says --type=renderer.
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out.split('\n').map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)).filter(Boolean)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args }));
  const mine = new Set([browserPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) if (mine.has(r.ppid) && !mine.has(r.pid)) { mine.add(r.pid); grew = true; }
  }
  return rows.filter((r) => mine.has(r.pid) && r.args.includes('--type=renderer')).map((r) => r.pid);
}

// Resident memory of a process in MB: all of it (VmRSS), and the part that is the process's
// own (RssAnon: heap, wasm memories, ArrayBuffers), without shared memory and mapped files.
function rssMb(pid, field = 'VmRSS') {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number((status.match(new RegExp(`${field}:\\s+(\\d+)`)) || [])[1] || 0);
    return kb / 1024;
  } catch { return 0; }
}

const { server, port } = await serve(path.resolve(root, process.env.BENCH_DIST || 'dist'), PREFIX);
const base = `http://127.0.0.1:${port}${PREFIX}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
    ...(process.env.BENCH_CHROMIUM_ARGS ? process.env.BENCH_CHROMIUM_ARGS.split(' ') : [])],
});
const browserPid = browser._initializer?.pid || Number(execFileSync('pgrep', ['-o', '-f', 'chromium.*--remote-debugging-pipe'], { encoding: 'utf8' }).trim());

try {
  const series = Boolean(process.env.BENCH_SERIES);
  for (const archive of series ? [archives] : archives) {
    const files = [archive].flat();
    const result = { archive: files.map((f) => path.basename(f)).join(' + '), bytes: files.reduce((a, f) => a + fs.statSync(f).size, 0), seconds: [], peak_rss_mb: 0, peak_js_heap_mb: 0, max_tick_gap_ms: 0, progress_updates_per_s: [] };
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (process.env.BENCH_LOG) {
        page.on('console', (m) => console.error(`${Date.now()} page: ${m.text()}`));
        page.on('worker', (w) => w.on('console', (m) => console.error(`${Date.now()} worker: ${m.text()}`)));
      }
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(base);
      await page.waitForSelector('#backup-input:not([disabled])', { timeout: 60000 });
      await page.evaluate(() => {
        window.__bench = { ticks: [], changes: 0, last: null };
        let prev = performance.now();
        window.__bench.timer = setInterval(() => {
          const now = performance.now();
          window.__bench.ticks.push(now - prev);
          prev = now;
          const v = document.querySelector('section.scanning')?.textContent;
          if (v !== null && v !== undefined && v !== window.__bench.last) { window.__bench.changes++; window.__bench.last = v; }
        }, 50);
      });
      let peak = 0;
      let peakAnon = 0;
      let heap = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const pids = rendererPids(browserPid);
          const rss = pids.reduce((a, p) => a + rssMb(p), 0);
          const anon = pids.reduce((a, p) => a + rssMb(p, 'RssAnon'), 0);
          if (process.env.BENCH_TRACE) console.error(`${Date.now()} renderer RSS ${Math.round(rss)} MB, private ${Math.round(anon)} MB`);
          peak = Math.max(peak, rss);
          peakAnon = Math.max(peakAnon, anon);
          try {
            const { metrics } = await cdp.send('Performance.getMetrics');
            const used = metrics.find((m) => m.name === 'JSHeapUsedSize');
            if (used) heap = Math.max(heap, used.value / 1048576);
          } catch { /* page busy or closing */ }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const t0 = Date.now();
      await page.setInputFiles('#backup-input', files);
      await page.waitForSelector(files.length > 1 ? '.comparison, #error-title' : '#verdict-title, #error-title', { timeout: 30 * 60 * 1000 });
      const seconds = (Date.now() - t0) / 1000;
      sampling = false;
      await sampler;
      const b = await page.evaluate(() => { clearInterval(window.__bench.timer); return { ticks: window.__bench.ticks, changes: window.__bench.changes }; });
      const failed = await page.$('#error-title');
      if (failed) throw new Error(`${archive}: ${await page.textContent('main')}`);
      result.seconds.push(seconds);
      result.peak_rss_mb = Math.max(result.peak_rss_mb, Math.round(peak));
      result.peak_anon_mb = Math.max(result.peak_anon_mb || 0, Math.round(peakAnon));
      result.peak_js_heap_mb = Math.max(result.peak_js_heap_mb, Math.round(heap));
      result.max_tick_gap_ms = Math.max(result.max_tick_gap_ms, Math.round(Math.max(...b.ticks)));
      result.progress_updates_per_s.push(Number((b.changes / seconds).toFixed(1)));
      result.verdict = await page.textContent('#verdict-title');
      await context.close();
    }
    result.seconds.sort((a, b) => a - b);
    result.median_seconds = result.seconds[Math.floor(result.seconds.length / 2)];
    console.log(JSON.stringify(result));
  }
} finally {
  await browser.close();
  server.close();
}
