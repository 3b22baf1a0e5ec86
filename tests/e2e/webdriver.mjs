// A small W3C WebDriver client, and the drivers of the browsers Playwright cannot drive as
// installed: Debian's Firefox ESR (through geckodriver) and WebKitGTK, the engine of Safari
// (through WebKitWebDriver, in a virtual X display). Chromium runs here too, through Debian's
// chromedriver, so one flow (tests/e2e/engines.mjs) runs unchanged in all three.
//
// Why plain WebDriver and not a library: the classic protocol is the one all three drivers
// speak (WebKitGTK has no usable BiDi yet, Playwright needs its own patched builds); it is a
// dozen HTTP calls, and a client of our own downloads nothing (selenium-webdriver would bring
// its driver manager). What it lacks — the page's network and console — the flow gets from a
// recording proxy (below) and from the page itself.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export const ENGINES = {
  chromium: {
    driver: () => ['chromedriver', []],
    capabilities: (proxy) => ({
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic', `--proxy-server=${proxy}`,
          '--proxy-bypass-list=<-loopback>;127.0.0.1'],
      },
    }),
  },
  firefox: {
    driver: () => ['geckodriver', ['--binary', process.env.FIREFOX || '/usr/bin/firefox-esr']],
    capabilities: (proxy) => {
      const [host, port] = proxy.split(':');
      return {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          args: ['-headless'],
          prefs: {
            // Everything Firefox would fetch for itself goes nowhere (the machine is offline).
            'network.proxy.type': 1, 'network.proxy.http': host, 'network.proxy.http_port': Number(port),
            'network.proxy.ssl': host, 'network.proxy.ssl_port': Number(port),
            'network.proxy.no_proxies_on': '', 'network.proxy.allow_hijacking_localhost': false,
            'app.update.enabled': false, 'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false,
            'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false,
            'network.captive-portal-service.enabled': false, 'network.connectivity-service.enabled': false,
            'extensions.getAddons.cache.enabled': false, 'browser.region.network.url': '', 'browser.search.geoip.url': '',
            'browser.download.folderList': 2, 'browser.download.useDownloadDir': true,
          },
        },
      };
    },
  },
  webkit: {
    // A display number of its own each time (from the driver's free port), so runs never
    // share one.
    driver: (port) => ['xvfb-run', ['-a', '-n', String(100 + (port % 20000)), '-s', '-screen 0 1280x1024x24', 'WebKitWebDriver']],
    // The proxy through the environment (GLib's resolver reads it), not the WebDriver proxy
    // capability: with that, one session start in three never answered (the browser never
    // came up); without it, none in dozens.
    env: (proxy) => ({ http_proxy: `http://${proxy}`, https_proxy: `http://${proxy}`, no_proxy: '127.0.0.1,localhost' }),
    capabilities: (proxy) => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    }),
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// Every request a browser sends to a host other than the app's: recorded, answered 502.
export function recordingProxy() {
  const seen = [];
  const server = http.createServer((req, res) => { seen.push(req.url); res.writeHead(502).end(); });
  server.on('connect', (req, socket) => {
    seen.push(`https://${req.url}`);
    socket.on('error', () => {}); // a browser that hangs up first is no failure
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  server.on('clientError', (_, socket) => socket.destroy());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, address: `127.0.0.1:${server.address().port}` })));
}

export class Session {
  // A driver and a session in it. A start that has not answered in 30 s (seen with WebKitGTK
  // and its proxy capability, now avoided: the browser never came up) is ended and tried
  // again with a new driver, up to three times.
  static async start(engine, proxy) {
    if (!ENGINES[engine]) throw new Error(`unknown engine ${engine}`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await Session.startOnce(engine, proxy);
      } catch (e) {
        if (attempt >= 3) throw e;
        console.log(`  (${engine}: ${e.message.split(';')[0]}; starting again)`);
      }
    }
  }

  static async startOnce(engine, proxy) {
    const spec = ENGINES[engine];
    const port = await freePort();
    const [cmd, args] = spec.driver(port);
    const env = { ...process.env, ...(spec.env ? spec.env(proxy) : {}) };
    const proc = spawn(cmd, [...args, `--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
    let log = '';
    proc.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { const r = await fetch(`${base}/status`); if (r.ok) break; } catch { /* not up yet */ }
      if (i > 150) { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } throw new Error(`${cmd} did not start: ${log}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = new Session(base, proc);
    // The driver and its browser go when this process goes, however it ends.
    const kill = () => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } };
    process.once('exit', kill);
    s.kill = kill;
    let created;
    try {
      created = await s.call('POST', '/session', { capabilities: { alwaysMatch: spec.capabilities(proxy) } }, false, 30000);
    } catch (e) {
      kill();
      throw new Error(`${engine}: no browser session (${e.message}); driver said: ${log}`);
    }
    s.id = created.sessionId;
    s.capabilities = created.capabilities;
    return s;
  }

  constructor(base, proc) { this.base = base; this.proc = proc; }

  // One command; `ms` bounds how long the driver may take to answer (scripts have their own
  // timeout, set by `timeouts`, below this).
  async call(method, path, body, inSession = true, ms = 180000) {
    const url = `${this.base}${inSession ? `/session/${this.id}` : ''}${path}`;
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(ms) });
    const json = await res.json();
    if (!res.ok || (json.value && json.value.error)) throw new Error(`${method} ${path}: ${json.value && (json.value.error + ': ' + json.value.message)}`);
    return json.value;
  }

  goto(url) { return this.call('POST', '/url', { url }); }
  refresh() { return this.call('POST', '/refresh', {}); }
  title() { return this.call('GET', '/title'); }
  setSize(width, height) { return this.call('POST', '/window/rect', { width, height }); }
  // Runs `fn(...args)` in the page; its value comes back as JSON.
  eval(fn, ...args) { return this.call('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments)`, args }); }
  // The same for an async function.
  evalAsync(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1]; Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1))).then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    return this.call('POST', '/execute/async', { script, args }).then((r) => { if (r && 'err' in r) throw new Error(r.err); return r && r.ok; });
  }
  async find(css) { const v = await this.call('POST', '/element', { using: 'css selector', value: css }); return v[ELEMENT]; }
  async click(css) { return this.call('POST', `/element/${await this.find(css)}/click`, {}); }
  // Sets the files of an <input type=file> (several: one path per line), as a user choosing them.
  async upload(css, paths) { return this.call('POST', `/element/${await this.find(css)}/value`, { text: [].concat(paths).join('\n') }); }
  async screenshot() { return Buffer.from(await this.call('GET', '/screenshot'), 'base64'); }
  async timeouts(ms) { return this.call('POST', '/timeouts', { script: ms, pageLoad: ms, implicit: 0 }); }

  // Polls `fn(...args)` in the page until it returns something truthy.
  async waitFor(what, fn, args = [], timeout = 60000) {
    const until = Date.now() + timeout;
    for (;;) {
      let v;
      try { v = await this.eval(fn, ...args); } catch (e) { if (Date.now() > until) throw e; }
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async quit() {
    try { await this.call('DELETE', ''); } catch { /* already gone */ }
    // Wait until the driver, its browser and its display are gone: a browser started while
    // the last one is still closing often never answers (WebKitGTK: one start in four).
    const group = -this.proc.pid;
    try { process.kill(group, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 100; i++) {
      try { process.kill(group, 0); } catch { return; }
      if (i === 50) this.kill();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
