import type { Health } from '@perpscope/schemas';
import { Hono } from 'hono';

export type AppDeps = {
  version: string;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
  startedAt: number;
};

/** Builds the HTTP application from its dependencies; no module-level state. */
export function createApp(deps: AppDeps) {
  return new Hono().get('/healthz', (c) => {
    const body: Health = {
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.max(0, (deps.now() - deps.startedAt) / 1000),
    };
    return c.json(body);
  });
}
