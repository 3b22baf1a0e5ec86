// End-to-end in every browser engine a site owner has: Chromium, Firefox (Debian's ESR) and
// WebKit (WebKitGTK, the engine of Safari), each driven over WebDriver (tests/e2e/webdriver.mjs).
// One real backup each, the whole way a user goes:
//   load online (the service worker caches the app and, in the background, every release
//   manifest) → the server goes away → reload → drop the sample hacked WordPress backup →
//   the full result, offline (WordPress recognised from the cached manifest, the findings,
//   the checklist) → save the report (JSON and HTML: no secret values) → back online: a scan
//   cancelled midway, a file that is not a backup → axe-core on every screen, no page error,
//   no request outside the app (a recording proxy sees everything else), screenshots.
//
// Usage: node tests/e2e/engines.mjs chromium|firefox|webkit   (after `trunk build --release`
// and tests/e2e/fixtures.py). Writes tests/e2e/out/<engine>-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './server.mjs';
import { Session, recordingProxy } from './webdriver.mjs';
import { AXE_OPTIONS, OWN_FILE, PREFIX, SAMPLE, axeSource, checker, describeViolations, fixtures, out, root } from './common.mjs';

const engine = process.argv[2];
const SECRET = 'sample-Not-A-Real-Pass-7x';
for (const f of fs.readdirSync(out)) if (f.startsWith(`${engine}-`) && f.endsWith('.png')) fs.rmSync(path.join(out, f));
const { check, failures } = checker(engine);

const HOST = { name: 'Example Hosting', support: 'support@example-hosting.test' };
// Served instead of dist's files; a new deployment's sw.js is put here below.
const overrides = { 'config.json': JSON.stringify(HOST) };
const { server, requests, port } = await serve(path.join(root, 'dist'), PREFIX, overrides);
const base = `http://127.0.0.1:${port}${PREFIX}`;
const proxy = await recordingProxy();
const offline = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
const online = () => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

const s = await Session.start(engine, proxy.address);
const text = (css) => s.eval((c) => { const e = document.querySelector(c); return e ? e.textContent : null; }, css);
const ready = () => s.waitFor('the start screen, scanner ready', () => !!document.querySelector('#backup-input:not([disabled])'), [], 60000);

async function axe(screen) {
  // As the script itself (the page's CSP forbids eval, not the driver's own scripts).
  await s.call('POST', '/execute/sync', { script: `${axeSource}; return true;`, args: [] });
  const v = describeViolations(await s.evalAsync((options) => axe.run(document, options)
    .then((r) => r.violations.map((x) => ({ id: x.id, nodes: x.nodes.map((n) => ({ target: n.target })) }))), AXE_OPTIONS));
  check(v.length === 0, `axe: no violations on the ${screen} screen${v.length ? ' — ' + v.join('; ') : ''}`);
}

async function shot(name) {
  // After two frames: WebKitGTK under Xvfb otherwise shows the page as last painted.
  await s.evalAsync(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  fs.writeFileSync(path.join(out, `${engine}-${name}.png`), await s.screenshot());
}

// Page errors and unhandled rejections from here on, and every file the page saves (the
// Blob behind each download link), kept in the page for the checks.
function watchPage() {
  return s.eval(() => {
    window.__e2e = { errors: [], saved: [] };
    addEventListener('error', (e) => window.__e2e.errors.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => window.__e2e.errors.push(String(e.reason)));
    const make = URL.createObjectURL;
    URL.createObjectURL = (b) => { if (b instanceof Blob) window.__e2e.saved.push(b); return make.call(URL, b); };
    return true;
  });
}
const pageErrors = [];
async function collectErrors() {
  const e = await s.eval(() => (window.__e2e ? window.__e2e.errors.splice(0) : []));
  pageErrors.push(...e);
}

async function clickText(label) {
  const id = await s.call('POST', '/element', { using: 'xpath', value: `//*[self::button or self::a or self::summary][contains(normalize-space(.), ${JSON.stringify(label)})]` });
  await s.call('POST', `/element/${Object.values(id)[0]}/click`, {});
}

// What the page saved last, as text.
async function lastSaved(label) {
  const before = await s.eval(() => window.__e2e.saved.length);
  await clickText(label);
  await s.waitFor(`a file from "${label}"`, (n) => window.__e2e.saved.length > n, [before], 10000);
  return s.evalAsync(() => window.__e2e.saved[window.__e2e.saved.length - 1].text());
}

try {
  await s.timeouts(120000);
  await s.setSize(1200, 900).catch(() => {});
  console.log(`${engine}: ${s.capabilities.browserName} ${s.capabilities.browserVersion}`);

  console.log('online: first load');
  await s.goto(base);
  await ready();
  await watchPage();
  check((await text('body')).includes('Nothing is uploaded'), 'start screen says nothing is uploaded');
  await shot('1-start');
  await axe('start');
  const sw = await s.evalAsync(async () => {
    if (!('serviceWorker' in navigator)) return { error: 'no serviceWorker' };
    const reg = await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 30000))]);
    if (!reg) return { error: 'no service worker became active in 30 s' };
    for (let i = 0; i < 600; i++) {
      const st = await new Promise((resolve) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => resolve(e.data);
        reg.active.postMessage({ type: 'status' }, [ch.port2]);
      });
      if (st.cached === st.total) return st;
      await new Promise((r) => setTimeout(r, 250));
    }
    return { error: 'not everything cached in 150 s' };
  });
  check(sw && !sw.error && sw.total > 20, `the service worker cached the app and every manifest (${sw && (sw.error || `${sw.cached}/${sw.total} files, version ${sw.version}`)})`);
  await collectErrors();

  console.log('offline: reload and scan');
  await offline();
  // A reload as the page's own reload button does it. Not WebDriver's refresh: Firefox's
  // goes around the service worker (as a shift-reload does), which no user would notice.
  await s.eval(() => { window.__before_reload = true; setTimeout(() => location.reload(), 0); return true; });
  await s.waitFor('the reloaded page', () => !window.__before_reload && !!document.querySelector('#backup-input:not([disabled])'), [], 60000);
  await ready();
  await watchPage();
  check(await s.eval(() => !!navigator.serviceWorker.controller), 'the page came from the service worker with the server gone');
  await s.upload('#backup-input', SAMPLE);
  await s.waitFor('the verdict', () => !!document.querySelector('#verdict-title'), [], 120000);
  const verdict = await text('#verdict-title');
  check(verdict.includes('hacked'), `offline: the sample backup is compromised (got "${verdict}")`);
  const body = await text('main');
  check(body.includes('WordPress 6.1.9'), 'offline: recognised as WordPress 6.1.9 (the manifest came from the cache)');
  for (const f of ['wp-includes/class-wp-cache-helper.php', 'wp-login-check.php', 'wp-content/uploads/2024/03/logo.png.php', 'wp-load.php']) {
    check(body.includes(f), `offline: lists ${f}`);
  }
  check(body.includes("system($_GET['c'])"), 'offline: the decoded payload is shown');
  check(body.includes('What to do now') && body.includes('began on 2024-03-05'), 'offline: the checklist and the break-in date');
  check(body.includes('samp••••7x') && !body.includes(SECRET), 'offline: the database password is masked');
  await shot('2-result-offline');
  await axe('result');
  const json = await lastSaved('Save as JSON');
  check(json.includes('"verdict"') && json.includes('"masked"') && !json.includes(SECRET), `the saved JSON report has the verdict and no secret value (${json.length} bytes)`);
  const html = await lastSaved('Save as a web page (HTML)');
  check(html.includes('Your site has been hacked') && !/<script/i.test(html) && !html.includes(SECRET), 'the saved HTML report: no script, no secret value');
  await collectErrors();

  console.log('online again: cancel, error');
  await online();
  await clickText('Check another backup');
  await ready();
  await s.upload('#backup-input', path.join(fixtures, 'big.zip'));
  await s.waitFor('progress', () => Number(document.querySelector('#scan-progress')?.value) > 0, [], 60000);
  await shot('3-scanning');
  await axe('scanning');
  await clickText('Cancel');
  await s.waitFor('the cancel message', () => document.body.textContent.includes('The scan was cancelled'), [], 30000);
  await ready();
  check(true, 'a scan is cancelled midway and the scanner is ready again');
  await s.upload('#backup-input', path.join(fixtures, 'not-an-archive.txt'));
  await s.waitFor('the error', () => !!document.querySelector('#error-title'), [], 60000);
  check((await text('#error-title')).includes('not a backup'), 'a text file gives a plain error');
  await shot('4-error');
  await axe('error');
  await collectErrors();

  console.log('a new deployment');
  // The same files under a new version: the browser finds a changed sw.js and installs it
  // beside the running one; at the next visit it is in charge, and the old cache is gone.
  const swText = fs.readFileSync(path.join(root, 'dist/sw.js'), 'utf8');
  const oldVersion = swText.match(/"version": "([0-9a-f]+)"/)[1];
  const newVersion = `${oldVersion.slice(0, 12)}next`;
  overrides['sw.js'] = swText.replace(`"version": "${oldVersion}"`, `"version": "${newVersion}"`);
  const found = await s.evalAsync(async () => {
    const reg = await navigator.serviceWorker.ready;
    await reg.update();
    for (let i = 0; i < 200 && !reg.waiting && !reg.installing; i++) await new Promise((r) => setTimeout(r, 100));
    return !!(reg.waiting || reg.installing);
  });
  check(found, 'the browser found the new deployment');
  // The next visit: the page closed (its tab navigates away), then opened again. (boot.js may
  // have handed over already, while the page was untouched; Chromium does not always let a
  // waiting worker activate while the old one still controls a page, so the test does not
  // count on that.)
  await s.goto('about:blank');
  await new Promise((r) => setTimeout(r, 1000));
  await s.goto(base);
  // The page may load twice (boot.js hands over to a waiting worker, then reloads).
  let caches = null;
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      caches = await s.evalAsync(async () => (!navigator.serviceWorker.controller ? null
        : (await caches.keys()).filter((k) => k.startsWith('site-triage:'))));
    } catch { caches = null; /* between two pages */ }
    if (caches && caches.length === 1 && caches[0].endsWith(`:${newVersion}`)) break;
  }
  const workers = await s.evalAsync(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return reg ? ['installing', 'waiting', 'active'].map((k) => `${k}: ${reg[k] ? reg[k].state : '-'}`).join(', ') + `, controller: ${!!navigator.serviceWorker.controller}` : 'none';
  }).catch((e) => String(e));
  check(caches && caches.length === 1 && caches[0].endsWith(`:${newVersion}`), `the new deployment took over and the old cache is gone (caches: ${JSON.stringify(caches)}; workers: ${workers})`);
  await ready();
} catch (e) {
  failures.push(`exception: ${e.stack || e}`);
  console.log(e);
  await shot('failure').catch(() => {});
} finally {
  check(pageErrors.length === 0, `no page error${pageErrors.length ? ': ' + pageErrors.join(' | ') : ''}`);
  // The browser's own traffic (updates, safe browsing, Chromium's clock and account checks)
  // is not the page's; anything else is. (tests/e2e/run.mjs also sees each request the page
  // itself makes in Chromium, Google's hosts included.)
  const browsers = /^(https?:\/\/)?([\w-]+\.)*(mozilla\.(com|net|org)|firefox\.com|mozaws\.net|webkit\.org|google\.com|gstatic\.com|googleapis\.com)(:\d+)?(\/|$)/;
  const outside = proxy.seen.filter((u) => !browsers.test(u));
  check(outside.length === 0, `no request outside the app${outside.length ? ': ' + outside.join(' ') : ''} (${proxy.seen.length - outside.length} of the browser's own)`);
  const strange = requests.filter((u) => !OWN_FILE.test(u));
  check(strange.length === 0, `every request the server saw is one of the app's own files${strange.length ? ': ' + strange.join(' ') : ''}`);
  await s.quit();
  server.close();
  proxy.server.close();
}
if (failures.length) {
  console.log(`\n${engine}: ${failures.length} end-to-end check(s) failed`);
  process.exit(1);
}
console.log(`\n${engine}: all checks passed`);
