// Serves the built portal (web/dist/browser) on a loopback port for browser tests: static files with the
// SPA fallback to index.html, and /api + /ws proxied to a running API when one is given.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/env';

export const webDist = path.join(repoRoot, 'web', 'dist', 'browser');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Builds the portal once when no build is present (the build is offline, ~15 s). */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(path.join(webDist, 'index.html'))) return;
  await promisify(execFile)('npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot, timeout: 180_000 });
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebServer(options: { apiOrigin?: string } = {}): Promise<WebServer> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/')) {
      if (!options.apiOrigin) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'API_UNAVAILABLE', msg: 'API not running in this test', data: null }));
        return;
      }
      const target = new URL(url.pathname + url.search, options.apiOrigin);
      const upstream = http.request(
        target,
        { method: request.method, headers: { ...request.headers, host: target.host } },
        (apiResponse) => {
          response.writeHead(apiResponse.statusCode ?? 502, apiResponse.headers);
          apiResponse.pipe(response);
        },
      );
      upstream.on('error', () => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'BAD_GATEWAY', msg: 'API unreachable', data: null }));
      });
      request.pipe(upstream);
      return;
    }
    const file = path.join(webDist, path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, ''));
    const inside = file.startsWith(webDist + path.sep);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : path.join(webDist, 'index.html');
    response.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
    response.end(readFileSync(target));
  });
  // WebSocket upgrades (/ws/connect) are tunnelled to the API as raw TCP after replaying the request head.
  server.on('upgrade', (request, socket, head) => {
    if (!options.apiOrigin) return socket.destroy();
    const target = new URL(options.apiOrigin);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) {
        const name = request.rawHeaders[i];
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : request.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
