// Shared by the browser tests: Debian's Chromium driven by playwright-core, a tiny reporter, a static server.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const SPA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_DIR = join(SPA_DIR, 'target');

/** The browser is Debian's package (apt-get install chromium), never one downloaded by Playwright. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--ignore-certificate-errors',
];

/** The gateway's CSP (DESIGN.md / gateway); the smoke check serves the built SPA under it. */
export const GATEWAY_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
  "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'";

/**
 * Launches Chromium headless. playwright-core gives every launch a fresh, empty user-data dir of its own
 * (mkdtemp playwright_chromiumdev_profile-*, removed on close; it refuses a --user-data-dir argument), and every
 * browser.newContext() is a separate cookie jar: a second browser context is a second, independent visitor.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export function ensureTargetDir() {
  mkdirSync(TARGET_DIR, { recursive: true });
  return TARGET_DIR;
}

/** Runs named async checks one after another, one line each, then exactly `N passed, N failed`. */
export async function runChecks(checks, { timeoutMs = 90_000 } = {}) {
  let passed = 0;
  let failed = 0;
  for (const [name, check] of checks) {
    const started = Date.now();
    let timer;
    try {
      const note = await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
      passed++;
      console.log(`PASS ${name} (${Date.now() - started} ms)${note ? ` - ${note}` : ''}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name} (${Date.now() - started} ms)`);
      console.log(`     ${String(error?.stack || error).split('\n').slice(0, 12).join('\n     ')}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return { passed, failed };
}

export function printSummary({ passed, failed }) {
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Serves a folder on 127.0.0.1 (a free port) with the given headers on every answer; 404 for anything else. */
export function serveStatic(root, headers = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(base, path === '/' ? 'index.html' : path));
    try {
      if (!file.startsWith(base + sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return listen(server);
}

/** Starts a node:http server on a free 127.0.0.1 port; resolves { server, origin, close }. */
export function listen(server) {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolvePromise({
        server,
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
