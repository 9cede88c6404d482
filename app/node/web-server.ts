import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/**
 * The node's web page: the static files built into dist/web, a `/rpc` proxy to this node's
 * CometBFT RPC (so the page talks only to its own origin: no CORS, one address to open), a
 * `/zones/<n>/rpc` proxy to each other zone's CometBFT RPC that app.toml names (the Explorer's
 * zones view reads every zone through its own origin too) and
 * `/config.json` with what a browser client needs to sign (chain id, prefix, denom, gas price,
 * and on a demo localnet the devnet keys).
 */
export interface WebServerOptions {
  readonly host: string;
  readonly port: number;
  /** Folder of the built page (index.html and assets/). */
  readonly staticDir: string;
  /** CometBFT RPC base URL, e.g. http://127.0.0.1:26657. */
  readonly rpcUrl: string;
  /** Other zones' CometBFT RPC base URLs, served at `/zones/1/rpc`, `/zones/2/rpc`… in this order. */
  readonly zoneRpcUrls?: readonly string[];
  /** Read on every request: endpoints.json may be written after the node starts. */
  readonly clientConfig: () => Record<string, unknown>;
}

export interface WebServer {
  readonly port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  // WebAssembly.instantiateStreaming accepts nothing else.
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** `/zones/<n>/rpc` and anything below it; group 1 is the zone's 1-based number. */
const ZONE_RPC_PATH = /^\/zones\/([1-9]\d{0,2})\/rpc(?=\/|$)/;

/** Zone proxy paths as the page names them (relative to its base): `zones/1/rpc`, … */
export function zoneRpcPaths(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `zones/${i + 1}/rpc`);
}

/** Requests larger than this are not forwarded (CometBFT's own default max_body_bytes is 1 MB). */
const MAX_PROXY_BODY = 2 << 20;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const staticDir = path.resolve(options.staticDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/rpc' || url.pathname.startsWith('/rpc/')) return proxyRpc(req, res, url, '/rpc', options.rpcUrl);
    const zone = ZONE_RPC_PATH.exec(url.pathname);
    if (zone) {
      const target = options.zoneRpcUrls?.[Number(zone[1]) - 1];
      if (!target)
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`no zone ${zone[1]} is configured ([web] zone_rpcs)\n`);
      return proxyRpc(req, res, url, zone[0], target);
    }
    if (url.pathname === '/config.json') return sendJson(res, options.clientConfig());
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    serveStatic(res, staticDir, url.pathname);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function serveStatic(res: http.ServerResponse, staticDir: string, pathname: string): void {
  const index = path.join(staticDir, 'index.html');
  if (!fs.existsSync(index)) {
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`the web page is not built: run "npm run build:web" (looked in ${staticDir})\n`);
    return;
  }
  let file = path.resolve(staticDir, `.${decodeURIComponent(pathname)}`);
  // Only files inside the build folder; anything else (and the bare "/") is the page itself.
  if (!file.startsWith(staticDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) file = index;
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    // Asset names carry a content hash; index.html must be fetched fresh to pick up a new build.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  fs.createReadStream(file).pipe(res);
}

/** Forwards a request under `mount` (e.g. "/rpc") to the same path under the CometBFT RPC at `rpcUrl`. */
function proxyRpc(req: http.IncomingMessage, res: http.ServerResponse, url: URL, mount: string, rpcUrl: string): void {
  if (req.method !== 'GET' && req.method !== 'POST') return void res.writeHead(405).end();
  const target = new URL(rpcUrl);
  target.pathname = url.pathname.slice(mount.length) || '/';
  target.search = url.search;
  const upstream = http.request(
    target,
    { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        'content-type': answer.headers['content-type'] ?? 'application/json',
        'cache-control': 'no-store',
      });
      answer.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`CometBFT RPC unreachable: ${err.message}\n`);
  });
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_PROXY_BODY) {
      upstream.destroy();
      if (!res.headersSent) res.writeHead(413).end();
      req.destroy();
    }
  });
  req.pipe(upstream);
}

/** "host:port" (app.toml style) → [host, port]. */
export function splitWebAddress(address: string): [string, number] {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match) throw new Error(`[web] address "${address}" must look like 127.0.0.1:26680`);
  return [match[1]!, Number(match[2])];
}
