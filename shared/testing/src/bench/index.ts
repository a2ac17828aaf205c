// Support for the `npm run bench:*` scripts: probes of what a run cost the machine, statistics, tables, the
// payloads every benchmark writes, and cleanup that also runs on Ctrl-C.
export * from './arguments';
export * from './cleanup';
export * from './cpu';
export * from './format';
export * from './gc';
export * from './payments';
export * from './server-probe';
export * from './source-version';
export * from './stats';
