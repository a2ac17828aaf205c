// Writes docs/openapi.json from the route table (`npm run openapi`); with --check, fails if the file is not current
// (`npm run openapi:check`, part of `npm test`), so the published document never lags behind the routes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_VERSION } from './gateway';
import { openApiDocument } from './http/openapi';
import { ROUTES } from './routes';

const target = path.resolve(__dirname, '..', '..', '..', 'docs', 'openapi.json');
const text = `${JSON.stringify(openApiDocument(ROUTES, GATEWAY_VERSION), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('docs/openapi.json is not current with the gateway routes: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write(`docs/openapi.json is current (${ROUTES.length} routes).\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote docs/openapi.json (${ROUTES.length} routes)\n`);
}
