// A static server for dist/ under a sub-path, recording every request it gets, so the tests
// prove the app works from a help-centre folder and asks for nothing but its own files.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.zip': 'application/zip', '.stm': 'application/octet-stream', '.png': 'image/png', '.svg': 'image/svg+xml',
};

// `overrides` maps a path under the prefix to a body served instead of the file (e.g. a
// host's own config.json).
export function serve(root, prefix, overrides = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    if (rel in overrides) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(rel)] || 'text/plain' }).end(overrides[rel]);
      return;
    }
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403).end(); return; }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': st.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })));
}
