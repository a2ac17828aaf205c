// The images' HEALTHCHECK: `node deploy/healthcheck.mjs <PORT_VARIABLE> <path>`. The slim Node image has no curl or
// wget, and Node has fetch. Exit 0 on a 2xx from http://127.0.0.1:$PORT_VARIABLE<path> within 2 s, else 1.
const [variable, path] = process.argv.slice(2);
const port = variable === undefined ? undefined : process.env[variable];
if (port === undefined || port === '' || path === undefined) {
  process.stderr.write(`usage: node deploy/healthcheck.mjs <PORT_VARIABLE> <path> (${variable ?? 'a variable'} must hold the port)\n`);
  process.exit(2);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
