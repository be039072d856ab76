// Every method + path an Express app answers, read from its router stack (mounted routers included),
// in OpenAPI form (`:id` → `{id}`). The OpenAPI test compares it with the document so neither drifts.
import type { Express } from 'express';

export interface MountedRoute {
  method: string;
  path: string;
}

interface StackLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

const joinPaths = (prefix: string, path: string): string => {
  const joined = `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
};

const toOpenApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

function pathsOf(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? (raw.flat(Infinity) as unknown[]) : [raw ?? '/'];
  return list.map((p) => {
    // A RegExp route cannot be compared with a documented path: refuse rather than skip it silently.
    if (typeof p !== 'string') throw new Error(`route under ${where || '/'} has a non-string path ${String(p)}`);
    return p;
  });
}

function walk(stack: StackLayer[], prefix: string, out: MountedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all' && layer.route!.methods[m]);
      for (const path of pathsOf(layer.route.path, prefix)) {
        for (const method of methods) out.push({ method, path: toOpenApiPath(joinPaths(prefix, path)) });
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      for (const path of pathsOf(layer.rawPath, prefix)) walk(layer.handle.stack, joinPaths(prefix, path), out);
    }
  }
}

/** The routes of `app`, de-duplicated, sorted by path then method. */
export function mountedRoutes(app: Express): MountedRoute[] {
  const router = (app as unknown as { router: { stack: StackLayer[] } }).router;
  const out: MountedRoute[] = [];
  walk(router.stack, '', out);
  const unique = new Map(out.map((r) => [`${r.method} ${r.path}`, r]));
  return [...unique.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
