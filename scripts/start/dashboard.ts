import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The dashboard's sources and its build (`npm run dashboard:build`), relative to the repository root. */
const DASHBOARD = 'services/gateway/dashboard';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard when its build is missing or older than a source, so the gateway serves the current one at
 * `/`. A failed build is reported and the platform starts anyway: the API does not need the dashboard. Resolves with
 * whether a build is there to serve.
 */
export function ensureDashboardBuilt(repoRoot: string, say: (text: string) => void): boolean {
  const dir = path.join(repoRoot, DASHBOARD);
  if (!existsSync(dir)) return false;
  const index = path.join(dir, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(dir)) return true;
  say('building the dashboard (vite; npm run dashboard:build)');
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', DASHBOARD, '--logLevel', 'warn'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) {
    say(`the dashboard did not build (exit ${String(build.status)}); starting without it:\n${build.stderr || build.stdout || String(build.error ?? '')}`);
    return existsSync(index);
  }
  return true;
}
