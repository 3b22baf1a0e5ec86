// Starts the page's wasm. External (not inline) so the Content-Security-Policy can forbid
// inline scripts; Trunk fills in the hashed file names (Trunk.toml: pattern_script).
const boot = document.getElementById('boot');
const app = await import(new URL(boot.dataset.js, document.baseURI).href);
await app.default({ module_or_path: new URL(boot.dataset.wasm, document.baseURI).href });
