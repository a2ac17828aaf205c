import { readFileSync } from 'node:fs';
import path from 'node:path';

/** deploy/Dockerfile, read by the deployment tests so that they check (and run) what the images run. */
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DOCKERFILE = path.join(REPO_ROOT, 'deploy/Dockerfile');

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string | undefined;
  /** The image or earlier stage it starts from, ARGs substituted. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/** What a target runs with: the last CMD, ENTRYPOINT, HEALTHCHECK and the ENV of its stage and the stages below it. */
export interface Target {
  readonly name: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The HEALTHCHECK's command (exec form), or `none`. */
  readonly healthcheck: readonly string[] | 'none' | undefined;
  readonly workdir: string | undefined;
  readonly user: string | undefined;
  readonly expose: readonly string[];
}

/** Instructions with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(`${pending}${line}`.trim());
    pending = '';
  }
  const args: Record<string, string> = {};
  const stages: { name: string | undefined; from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const rest = match[2] ?? '';
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = rest.split('=', 2);
      args[(name ?? '').trim()] = value.trim();
      continue;
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (from === null) throw new Error(`deploy/Dockerfile: cannot read "FROM ${rest}"`);
      const image = (from[1] ?? '').replace(/\$\{(\w+)\}/g, (_all, name: string) => args[name] ?? '');
      stages.push({ name: from[2], from: image, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`deploy/Dockerfile: ${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args: rest });
  }
  return stages;
}

export function readDockerfile(file = DOCKERFILE): Stage[] {
  return parseDockerfile(readFileSync(file, 'utf8'));
}

/** A JSON array (exec form); the shell form is refused: signals would reach a shell, not node. */
function execForm(keyword: string, value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${keyword} ${value}: use the exec form (a JSON array), so that SIGTERM reaches node and not a shell`);
  }
  if (!Array.isArray(parsed) || !parsed.every((part): part is string => typeof part === 'string')) throw new Error(`${keyword} ${value}: not an array of strings`);
  return parsed;
}

/** ENV KEY=VALUE [KEY=VALUE …] (values without spaces), or the old ENV KEY VALUE. */
function parseEnv(value: string): Record<string, string> {
  if (!value.includes('=')) {
    const [key, ...rest] = value.split(/\s+/);
    return { [key ?? '']: rest.join(' ') };
  }
  return Object.fromEntries(value.split(/\s+/).filter((pair) => pair !== '').map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1).replace(/^"(.*)"$/, '$1')];
  }));
}

export function resolveTarget(stages: readonly Stage[], name: string): Target {
  const chain: Stage[] = [];
  let current = stages.find((stage) => stage.name === name);
  if (current === undefined) throw new Error(`deploy/Dockerfile has no target "${name}"`);
  while (current !== undefined) {
    chain.unshift(current);
    const parent: string = current.from;
    current = stages.find((stage) => stage.name === parent);
  }
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  let env: Record<string, string> = {};
  let healthcheck: string[] | 'none' | undefined;
  let workdir: string | undefined;
  let user: string | undefined;
  let expose: string[] = [];
  for (const stage of chain) {
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'CMD') cmd = execForm('CMD', args);
      else if (keyword === 'ENTRYPOINT') entrypoint = execForm('ENTRYPOINT', args);
      else if (keyword === 'ENV') env = { ...env, ...parseEnv(args) };
      else if (keyword === 'WORKDIR') workdir = args;
      else if (keyword === 'USER') user = args;
      else if (keyword === 'EXPOSE') expose = [...expose, ...args.split(/\s+/)];
      else if (keyword === 'HEALTHCHECK') {
        if (args.trim().toUpperCase() === 'NONE') healthcheck = 'none';
        else {
          const at = args.indexOf('CMD ');
          if (at < 0) throw new Error(`HEALTHCHECK ${args}: no CMD`);
          healthcheck = execForm('HEALTHCHECK CMD', args.slice(at + 4).trim());
        }
      }
    }
  }
  return { name, entrypoint, cmd, env, healthcheck, workdir, user, expose };
}

/** The targets images are built from: named stages that no other stage starts FROM or copies from. */
export function finalTargets(stages: readonly Stage[]): string[] {
  const copiedFrom = stages.flatMap((stage) => stage.instructions.flatMap(({ keyword, args }) => (keyword === 'COPY' ? [...args.matchAll(/--from=(\S+)/g)].map((match) => match[1] ?? '') : [])));
  const parents = new Set([...stages.map((stage) => stage.from), ...copiedFrom]);
  return stages.flatMap((stage) => (stage.name !== undefined && !parents.has(stage.name) ? [stage.name] : []));
}
