// End-to-end: the built dist/ in headless Chromium, served under a sub-path, driven like a
// user would (drop files, read the report, cancel), with screenshots of every screen, an
// axe-core accessibility check of every screen, and a log of every request the page makes.
//
// Usage: node tests/e2e/run.mjs   (after `trunk build --release` and tests/e2e/fixtures.py)
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { AXE_OPTIONS, OWN_FILE, PREFIX, SAMPLE, axeSource, checker, describeViolations, fixtures, out, root } from './common.mjs';

const { check, failures } = checker();

async function axe(page, screen) {
  await page.evaluate(axeSource + ';0');
  const result = await page.evaluate((options) => axe.run(document, options), AXE_OPTIONS);
  const v = describeViolations(result.violations);
  check(v.length === 0, `axe: no violations on the ${screen} screen${v.length ? ' — ' + v.join('; ') : ''}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
}

async function startScreen(page, base) {
  await page.goto(base);
  await page.waitForSelector('#backup-input:not([disabled])', { timeout: 30000 });
}

async function dropFile(page, file) {
  await page.setInputFiles('#backup-input', path.join(fixtures, file));
}

async function waitVerdict(page, timeout = 120000) {
  await page.waitForSelector('#verdict-title', { timeout });
  return page.textContent('#verdict-title');
}

// What has keyboard focus: a short description, whether the focus is visible (an outline on
// the element, or on the drop zone around the hidden file input), and whether it is on screen
// once scrolled to.
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const ring = e.closest('.drop-zone') || e;
    const st = getComputedStyle(ring);
    const outline = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
    const r = ring.getBoundingClientRect();
    const label = (e.id ? '#' + e.id : '') || (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40);
    return { tag: e.tagName.toLowerCase(), id: e.id, label, visible: outline, size: r.width > 0 && r.height > 0 };
  });
}

// Presses Tab until `want` has focus (a description's label), at most `max` times; every
// stop on the way must show its focus. Returns the stops.
async function tabTo(page, want, max = 400) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    stops.push(f);
    if (!f.visible || !f.size) check(false, `keyboard: focus is visible on ${f.tag} ${f.label}`);
    if (want(f)) return stops;
  }
  return null;
}

// A phone (390×844, touch) and a keyboard alone: every screen fits the width (no sideways
// scrolling), the drop zone opens the file chooser from the keyboard, the checklist ticks and
// the report saves by keyboard, every focus stop is visible; screenshots of each screen.
async function phoneAndKeyboard() {
  console.log('phone and keyboard');
  const [ctx, p] = await watchedPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, acceptDownloads: true });
  const fits = async (screen) => {
    // Against the phone's width, not innerWidth: a mobile browser widens its layout
    // viewport to content that overflows (and shows it zoomed out).
    const w = await p.evaluate(() => {
      const wide = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > 391)
        .filter((e) => !e.closest('.table-wrap')).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      const width = document.documentElement.scrollWidth;
      return [width, width > 390 ? wide : []];
    });
    check(w[0] <= 390, `phone: the ${screen} screen fits 390 px (content ${w[0]} px wide${w[1].length ? ': ' + w[1].join(', ') : ''})`);
  };
  await startScreen(p, base);
  await fits('start');
  await shot(p, 'phone-1-start');
  await axe(p, 'phone start');
  // Keyboard from the top of the page: the drop zone comes before the sample button.
  const toDrop = await tabTo(p, (f) => f.id === 'backup-input', 30);
  check(toDrop !== null, `keyboard: Tab reaches the drop zone (${toDrop ? toDrop.map((f) => f.label).join(' → ') : 'not reached'})`);
  const [chooser] = await Promise.all([p.waitForEvent('filechooser', { timeout: 10000 }), p.keyboard.press('Space')]);
  check(!!chooser, 'keyboard: Space on the drop zone opens the file chooser');
  await chooser.setFiles(SAMPLE);
  const v = await waitVerdict(p);
  check(v.includes('hacked'), `keyboard + phone: the sample scans to its verdict (got "${v}")`);
  await fits('result');
  await shot(p, 'phone-2-result');
  await axe(p, 'phone result');
  const toTick = await tabTo(p, (f) => f.id === 'step-offline');
  check(toTick !== null, `keyboard: Tab reaches the first checklist step (${toTick ? toTick.length : 'no'} stops)`);
  await p.keyboard.press('Space');
  check(await p.isChecked('#step-offline'), 'keyboard: Space ticks a checklist step');
  await p.keyboard.press('Space');
  const toSave = await tabTo(p, (f) => f.label.startsWith('Save as JSON'));
  check(toSave !== null, 'keyboard: Tab reaches "Save as JSON"');
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: 10000 }), p.keyboard.press('Enter')]);
  check(fs.readFileSync(await dl.path(), 'utf8').includes('"verdict"'), 'keyboard: Enter saves the JSON report');
  const toAgain = await tabTo(p, (f) => f.label.startsWith('Check another backup'));
  check(toAgain !== null, 'keyboard: Tab reaches "Check another backup"');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#backup-input:not([disabled])');
  // The scanning screen on a phone; Cancel by keyboard.
  await p.setInputFiles('#backup-input', path.join(fixtures, 'big.zip'));
  await p.waitForFunction(() => Number(document.querySelector('#scan-progress')?.value) > 0, null, { timeout: 60000 });
  await fits('scanning');
  await shot(p, 'phone-3-scanning');
  await axe(p, 'phone scanning');
  const toCancel = await tabTo(p, (f) => f.label.startsWith('Cancel'), 20);
  check(toCancel !== null, 'keyboard: Tab reaches Cancel on the scanning screen');
  await p.keyboard.press('Enter');
  await p.waitForSelector('text=The scan was cancelled');
  check(true, 'keyboard: Enter on Cancel stops the scan');
  await ctx.close();
}

const HOST = { name: 'Example Hosting', support: 'support@example-hosting.test or +47 00 00 00 00' };
const { server, requests, port } = await serve(path.join(root, 'dist'), PREFIX, { 'config.json': JSON.stringify(HOST) });
const origin = `http://127.0.0.1:${port}`;
const base = `${origin}${PREFIX}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const consoleErrors = [];
const outside = [];
// A new browser context and page whose console errors, page errors and dialogs land in
// consoleErrors, and whose requests outside the app's folder land in `outside`.
async function watchedPage(options) {
  const ctx = await browser.newContext(options);
  ctx.on('request', (r) => {
    const u = r.url();
    if (!(u.startsWith(base) || u.startsWith('blob:' + origin) || u.startsWith('data:'))) outside.push(u);
  });
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  p.on('pageerror', (e) => consoleErrors.push(String(e)));
  p.on('dialog', (d) => { consoleErrors.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  return [ctx, p];
}
const [, page] = await watchedPage({ viewport: { width: 1200, height: 900 } });

try {
  console.log('start screen');
  await startScreen(page, base);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  check(csp && csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes('unsafe-inline') && csp.includes("connect-src 'self'"), 'strict CSP meta tag in the built page');
  check(await page.locator('script:not([src])').count() === 0, 'no inline script in the page');
  check((await page.textContent('body')).includes('Nothing is uploaded'), 'start screen says nothing is uploaded');
  await shot(page, '1-start');
  await axe(page, 'start');

  console.log('sample backup');
  await page.click('text=Try it with a sample hacked backup');
  const v1 = await waitVerdict(page);
  check(v1.includes('hacked'), `sample verdict is compromised (got "${v1}")`);
  const body1 = await page.textContent('main');
  check(body1.includes('WordPress 6.1.9'), 'sample recognised as WordPress 6.1.9');
  for (const f of ['wp-includes/class-wp-cache-helper.php', 'wp-login-check.php', 'wp-content/uploads/2024/03/logo.png.php', 'wp-load.php']) {
    check(body1.includes(f), `sample lists ${f}`);
  }
  check(body1.includes('What to do now'), 'checklist shown');
  check(body1.includes('Files that look malicious'), 'malicious files grouped first');
  check(body1.includes("system($_GET['c'])"), 'the decoded payload of the obfuscated backdoor is shown');
  check(body1.includes('A password stealer'), 'the login stealer is explained in plain words');
  check(body1.includes('Administrator accounts in your database') && body1.includes('wp_update_service'), 'administrators from the SQL dump listed');
  check(body1.includes('When it happened') && body1.includes('began on 2024-03-05'), 'break-in date shown (2024-03-05)');
  check((await page.textContent('header')).includes('Provided by Example Hosting'), "the host's name from config.json is shown");
  check((await page.textContent('.checklist')).includes(`Contact Example Hosting: ${HOST.support}`), "the 'tell your host' step names the host's support");
  const [htmlDl] = await Promise.all([page.waitForEvent('download'), page.click('text=Save as a web page (HTML)')]);
  const htmlReport = fs.readFileSync(await htmlDl.path(), 'utf8');
  check(htmlReport.includes('Your site has been hacked') && !/<script/i.test(htmlReport) && !htmlReport.includes('sample-Not-A-Real-Pass-7x'), 'HTML report: self-contained, no script, no secret values');
  check(body1.includes('samp••••7x') && !body1.includes('sample-Not-A-Real-Pass-7x'), 'database password shown masked');
  await page.click('text=Show the values');
  check((await page.textContent('.secrets')).includes('sample-Not-A-Real-Pass-7x'), 'reveal shows the value');
  await page.click('text=Hide the values');
  // Saved JSON carries no secret value unless the user opts in.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Save as JSON')]);
  const saved = fs.readFileSync(await download.path(), 'utf8');
  check(saved.includes('"masked"') && !saved.includes('sample-Not-A-Real-Pass-7x'), 'JSON export has no secret values by default');
  // A tick survives a reload (after scanning the same backup again).
  await page.check('#step-offline');
  await page.reload();
  await page.waitForSelector('#backup-input:not([disabled])');
  await page.click('text=Try it with a sample hacked backup');
  await waitVerdict(page);
  check(await page.isChecked('#step-offline'), 'a checklist tick survives a reload');
  check(!(await page.isChecked('#step-host')), 'other steps stay unticked');
  await page.uncheck('#step-offline');
  await shot(page, '2-result-sample');
  await axe(page, 'result');
  // the table filters
  await page.fill('input[type="search"]', 'uploads');
  const rows = await page.locator('.file-table tbody tr').count();
  check(rows > 0 && rows < 20, `file table filters by name (${rows} rows for "uploads")`);
  await page.click('text=Check another backup');

  console.log('real Debian WordPress zip');
  await page.waitForSelector('#backup-input:not([disabled])');
  await dropFile(page, 'debian-wordpress.zip');
  const v2 = await waitVerdict(page);
  const body2 = await page.textContent('main');
  check(body2.includes('WordPress 6.1.9'), `Debian zip recognised as WordPress 6.1.9 (verdict "${v2}")`);
  check(body2.includes('wp-admin/update-core.php'), "Debian's patched update-core.php listed as changed");
  await shot(page, '3-result-debian');
  await page.click('text=Check another backup');

  console.log('release archive dropped: changed lines');
  await page.waitForSelector('#backup-input:not([disabled])');
  await page.click('text=Optional: add the official release');
  await page.setInputFiles('#reference-input', path.join(fixtures, 'wordpress-6.1.9.zip'));
  await page.waitForSelector('text=Will compare with');
  await page.setInputFiles('#backup-input', SAMPLE);
  await waitVerdict(page);
  const wpLoad = page.locator('.group.modified li', { hasText: 'wp-load.php' });
  await wpLoad.locator('text=Show the changed lines').click();
  await wpLoad.locator('.diff').waitFor({ timeout: 30000 });
  const added = await wpLoad.locator('tr.added').allTextContents();
  check(added.some((t) => t.includes("@eval( base64_decode( $_POST['wp_c'] ) )")), `the injected line is shown as added (${added.length} added lines)`);
  check(await wpLoad.locator('tr.removed').count() === 0, 'nothing shown as removed from wp-load.php');
  await wpLoad.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, '7-diff.png') });
  await axe(page, 'result-with-diff');
  await page.click('text=Check another backup');

  console.log('cancel midway');
  await page.waitForSelector('#backup-input:not([disabled])');
  await dropFile(page, 'big.zip');
  await page.waitForSelector('#scan-progress');
  await page.waitForFunction(() => Number(document.querySelector('#scan-progress')?.value) > 0, null, { timeout: 60000 });
  await shot(page, '4-scanning');
  await axe(page, 'scanning');
  await page.click('text=Cancel');
  await page.waitForSelector('text=The scan was cancelled');
  check(true, 'cancel returns to the start screen');
  await page.waitForSelector('#backup-input:not([disabled])', { timeout: 30000 });
  await page.click('text=Try it with a sample hacked backup');
  const v3 = await waitVerdict(page);
  check(v3.includes('hacked'), 'a fresh worker scans after a cancel');
  await page.click('text=Check another backup');

  console.log('not an archive');
  await page.waitForSelector('#backup-input:not([disabled])');
  await dropFile(page, 'not-an-archive.txt');
  await page.waitForSelector('#error-title');
  check((await page.textContent('#error-title')).includes('not a backup'), 'a text file gives a plain error');
  await shot(page, '5-error');
  await axe(page, 'error');
  await page.click('text=Try another file');

  console.log('cpanel full backup');
  await page.waitForSelector('#backup-input:not([disabled])');
  await dropFile(page, 'cpanel-backup.tar.gz');
  const v5 = await waitVerdict(page);
  check(v5.includes('hacked'), `a cPanel full backup with an intruder's cron line is compromised (got "${v5}")`);
  const body5 = await page.textContent('main');
  check(body5.includes('Your hosting account') && body5.includes('janes-bakery.example'), 'the hosting account and its website are shown');
  check(body5.includes('Scheduled tasks (cron)') && body5.includes('every 15 minutes') && (await page.locator('section.cron li.malicious').count()) === 1, "every cron line in plain words, the intruder's marked malicious");
  check(body5.includes('SSH keys') && body5.includes('SHA256:') && body5.includes('deploy@build-7'), 'SSH keys listed with fingerprints');
  check(body5.includes('tmp/.sess/up.php') && body5.includes('sym/root'), 'the script outside the website and the link to / are listed');
  check(body5.includes('info@janes-bakery.example') && !body5.includes('REDACTED'), 'the checklist names the real logins, never a hash');
  await shot(page, '8-hosting-account');
  await axe(page, 'result-hosting-account');
  await page.click('text=Check another backup');

  console.log('several backups');
  await page.waitForSelector('#backup-input:not([disabled])');
  await page.setInputFiles('#backup-input', ['site-2026-06-08.zip', 'site-2026-06-01.zip'].map((f) => path.join(fixtures, f)));
  await page.waitForSelector('text=2 backups compared', { timeout: 120000 });
  const v6 = await page.textContent('#verdict-title');
  check(v6.includes('hacked'), `the newest backup (the infected one) is shown first (got "${v6}")`);
  const body6 = await page.textContent('main');
  check(body6.indexOf('Restore site-2026-06-01.zip (made 2026-06-01)') >= 0 && body6.indexOf('Restore site-2026-06-01.zip') < body6.indexOf('This site has been hacked'), 'the comparison comes first and names the backup to restore');
  check(body6.includes('New malicious file: public_html/wp-content/uploads/2026/06/cache.php'), 'the planted file is listed as new between the backups');
  check(body6.includes('planted between 2026-06-01 and 2026-06-08'), 'the break-in is dated to the interval between the backups');
  check(await page.locator('.comparison .backups button').count() === 2, 'a button for each backup');
  await shot(page, '9-several-backups');
  await axe(page, 'result-several-backups');
  await page.locator('.comparison .backups button').first().click();
  await page.waitForSelector('text=The report of site-2026-06-01.zip');
  check((await page.textContent('#verdict-title')).toLowerCase().includes('no sign') || !(await page.textContent('#verdict-title')).includes('hacked'), 'choosing the clean backup shows its own report');
  await page.setInputFiles('#add-backup-input', path.join(fixtures, 'site-2026-06-05.zip'));
  await page.waitForSelector('text=3 backups compared', { timeout: 120000 });
  const body7 = await page.textContent('main');
  check(body7.includes('Restore site-2026-06-05.zip (made 2026-06-05)'), 'an added backup joins the comparison and the newest clean one is named');
  check(body7.includes('Appeared: public_html/articles/new.html'), 'what changed between two clean backups is listed');
  await page.click('text=Check another backup');

  console.log('hostile names');
  await page.waitForSelector('#backup-input:not([disabled])');
  await dropFile(page, 'hostile-names.zip');
  await waitVerdict(page);
  const title = await page.title();
  check(!title.includes('pwned'), 'no script from file names ran');
  check(await page.locator('main img').count() === 0, 'no element injected from file names');
  const body3 = await page.textContent('main');
  check(body3.includes('<script>document.title'), 'hostile names are shown as text');
  check(!body3.includes('\u202e') && body3.includes('invoice<U+202E>gpj.php'), 'a right-to-left override in a name is shown as <U+202E>, not obeyed');
  check(await page.locator('style, link[rel="stylesheet"]:not([href])').count() === 0 && await page.locator('iframe, object, embed').count() === 0, 'no style, frame or object element injected');
  check(await page.locator('main script, main a[href^="javascript:"]').count() === 0, 'no script element or javascript: link injected');
  check(await page.evaluate(() => getComputedStyle(document.body).display !== 'none') && await page.isVisible('#verdict-title'), 'CSS in a plugin name does not hide the page');
  check(body3.includes('</style><style>body{display:none}</style>') && body3.includes('1<U+202E>2'), "a plugin name made of CSS, and a version with a direction override, are shown as text");
  check(body3.includes(`<img src=x onerror="document.title='pwned'">`) && body3.includes('javascript:alert(1)'), 'a rogue admin named with markup (from the SQL dump) is shown as text');
  check(body3.includes('evil.example.invalid') && !(await page.title()).includes('pwned'), 'script injected in a post is shown as an excerpt and never runs');
  await page.fill('input[type="search"]', 'onerror');
  await shot(page, '6-hostile');
  // Norwegian: a browser set to Norwegian gets the whole page, report and checklist in Bokmål;
  // the switch changes language at once, keeps checklist ticks, and is remembered.
  console.log('norwegian');
  const [nbContext, nb] = await watchedPage({ viewport: { width: 1200, height: 900 }, locale: 'nb-NO', acceptDownloads: true });
  await startScreen(nb, base);
  check(await nb.getAttribute('html', 'lang') === 'nb', 'a Norwegian browser gets <html lang="nb">');
  check((await nb.textContent('h1')).includes('Er nettstedet ditt hacket?'), 'start screen in Norwegian');
  await nb.click('text=Prøv med en eksempelkopi av et hacket nettsted');
  const vNb = await waitVerdict(nb);
  check(vNb.includes('Nettstedet ditt er hacket'), `Norwegian verdict (got "${vNb}")`);
  const bodyNb = await nb.textContent('main');
  for (const [text, what] of [
    ['Dette nettstedet er hacket', 'headline'],
    ['Innbruddet begynte mest sannsynlig', 'timeline'],
    ['Passord og nøkler som må byttes', 'secrets'],
    ['Bytt databasepassordet i kontrollpanelet', 'how to change the database password'],
    ['Dette gjør du nå, trinn for trinn', 'checklist'],
    ['Ta nettstedet ned mens du reparerer det', 'first step'],
    ['Kontakt Example Hosting: ', "host's contact"],
    ['Et skjult fjernstyringsprogram (web shell)', 'finding title'],
    ['navnet etterligner en system- eller tjenestekonto', 'rogue admin reason'],
  ]) check(bodyNb.includes(text), `Norwegian ${what}: "${text}"`);
  // No English sentence of the catalog is left anywhere on the Norwegian page.
  const catalog = fs.readFileSync(path.join(root, 'src/engine/i18n/nb.txt'), 'utf8').split('\n');
  const english = [];
  for (let i = 0; i + 1 < catalog.length; i++) {
    if (catalog[i].startsWith('en: ') && catalog[i + 1].startsWith('nb: ')) {
      const en = catalog[i].slice(4);
      for (const piece of en.split(/\{\d\}/)) {
        if (piece.trim().length >= 18 && !catalog[i + 1].includes(piece)) english.push(piece.trim());
      }
    }
  }
  const pageNb = await nb.textContent('body');
  const leftovers = english.filter((en) => pageNb.includes(en));
  check(english.length > 300 && leftovers.length === 0, `no English left on the Norwegian page (${english.length} sentences looked for)${leftovers.length ? ': ' + leftovers.join(' | ') : ''}`);
  await axe(nb, 'Norwegian result');
  await shot(nb, '7-result-norwegian');
  await nb.emulateMedia({ media: 'print' });
  await nb.pdf({ path: path.join(out, 'report-norwegian.pdf'), format: 'A4', printBackground: true });
  await nb.emulateMedia({ media: 'screen' });
  check(fs.statSync(path.join(out, 'report-norwegian.pdf')).size > 20000, 'the Norwegian report prints to PDF');
  const [nbDownload] = await Promise.all([nb.waitForEvent('download'), nb.click('text=Lagre som nettside (HTML)')]);
  const nbHtml = fs.readFileSync(await nbDownload.path(), 'utf8');
  check(nbHtml.includes('<html lang="nb">') && nbHtml.includes('Dette gjør du nå') && !nbHtml.includes('sample-Not-A-Real-Pass-7x'), 'the saved HTML report is in Norwegian, without secrets');
  // Switch to English: same report, English words, the tick kept.
  await nb.check('#step-offline');
  await nb.click('.lang-switch >> text=English');
  await nb.waitForSelector('text=What to do now, step by step');
  check(await nb.getAttribute('html', 'lang') === 'en', 'the switch sets <html lang="en">');
  check((await nb.textContent('#verdict-title')).includes('Your site has been hacked'), 'the switch translates the report at once');
  check(await nb.isChecked('#step-offline'), 'a tick survives the language switch');
  await nb.uncheck('#step-offline');
  // The choice is remembered over the browser's language.
  await nb.reload();
  await nb.waitForSelector('#backup-input:not([disabled])');
  check((await nb.textContent('h1')).includes('Was your website hacked?'), 'the chosen language survives a reload');
  await nb.click('.lang-switch >> text=Norsk bokmål');
  await nbContext.close();

  await phoneAndKeyboard();

} catch (e) {
  failures.push(`exception: ${e.stack || e}`);
  console.log(e);
  await shot(page, 'failure').catch(() => {});
} finally {
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''}`);
  check(outside.length === 0, `no request outside ${PREFIX}${outside.length ? ': ' + outside.join(' ') : ''}`);
  // No request carries anything from a backup: every URL the server saw is one of the app's
  // own files, a manifest, the sample or config.json — never a name or value from inside.
  const strange = requests.filter((u) => !OWN_FILE.test(u));
  check(strange.length === 0, `every request is for one of the app's own files${strange.length ? ': ' + strange.join(' ') : ''}`);
  // What the page keeps: the language and checklist ticks keyed by a report hash, nothing else.
  try {
    const kept = await page.evaluate(() => Object.entries(localStorage));
    const bad = kept.filter(([k, v]) => !(k === 'site-triage:lang' && /^(en|nb)$/.test(v)) && !(/^site-triage:ticks:[0-9a-f]{16}$/.test(k) && /^[a-z0-9,-]*$/.test(v)));
    check(bad.length === 0, `localStorage holds only the language and ticks by report hash${bad.length ? ': ' + JSON.stringify(bad) : ''}`);
  } catch (e) { check(false, `localStorage readable (${e})`); }
  const odd = requests.filter((u) => !u.startsWith(PREFIX));
  check(odd.length === 0, 'the server saw only requests under the sub-path');
  console.log(`requests: ${requests.length} (${[...new Set(requests.map((u) => u.replace(/-[0-9a-f]{16}/, '-*')))].join(', ')})`);
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log(`\n${failures.length} end-to-end check(s) failed`);
  process.exit(1);
}
console.log('\nend-to-end: all checks passed');
