import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Where `npm run dashboard:build` writes the dashboard (services/gateway/dashboard/dist). */
export const DASHBOARD_DIST = path.resolve(__dirname, '../../dashboard/dist');

/**
 * Serves the built dashboard at `/` when `dir` holds an `index.html`; otherwise nothing (the API works without it).
 * `wildcard: false` gives each built file a route of its own, so no catch-all swallows an unknown `/api/…` path:
 * that stays the API's 404. Returns whether the dashboard is served.
 */
export function serveDashboard(app: NestFastifyApplication, dir: string = DASHBOARD_DIST): boolean {
  if (!existsSync(path.join(dir, 'index.html'))) return false;
  app.useStaticAssets({ root: dir, prefix: '/', wildcard: false, index: ['index.html'] });
  return true;
}
