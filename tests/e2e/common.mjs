// What the two end-to-end runs (run.mjs in Chromium through Playwright, engines.mjs in every
// engine through WebDriver) share: where things are, the sub-path the app is served from, the
// axe-core rules and how a violation is told, which requests are the app's own, and the check
// that prints each result.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const out = path.join(here, 'out');
export const fixtures = path.join(out, 'fixtures');
export const PREFIX = '/help/site-triage/';
export const SAMPLE = path.join(root, 'dist/sample/sample-hacked-backup.zip');
fs.mkdirSync(out, { recursive: true });

export const axeSource = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const AXE_OPTIONS = { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] };
export const describeViolations = (violations) =>
  violations.map((x) => `${x.id} (${x.nodes.length}): ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);

// Every URL the server may see: the page, its scripts, wasm, styles and config, a manifest,
// the sample — never a name or value from inside a backup.
export const OWN_FILE = /^\/help\/site-triage\/(|index\.html|[\w.-]+\.(js|wasm|css|svg|json)|manifests\/[\w.-]+\.(stm|tsv)|sample\/sample-hacked-backup\.zip)(\?.*)?$/;

// `check(cond, what)` prints ok/FAIL (with `tag`, if any) and keeps each failure in `failures`.
export function checker(tag = '') {
  const failures = [];
  const label = tag ? ` [${tag}]` : '';
  const check = (cond, what) => {
    console.log(`  ${cond ? 'ok  ' : 'FAIL'}${label} ${what}`);
    if (!cond) failures.push(what);
  };
  return { check, failures };
}
