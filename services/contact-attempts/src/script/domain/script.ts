import { ArrearsError, ErrorCode, type CommandEnvelope, type contactAttempts, type Role } from '@arrears/contracts';

export type ScriptEvent = contactAttempts.ScriptEvent;
type SaveScript = Omit<CommandEnvelope, 'type' | 'data'> & Extract<contactAttempts.ScriptCommand, { type: 'SaveScript' }>;
type LanguageHit = Extract<ScriptEvent, { type: 'ScriptRejected' }>['data']['hits'][number];

/** A script's versions so far: only how many were saved matters to the next decision. */
export interface ScriptState {
  readonly versions: number;
}

export function initialState(): ScriptState {
  return { versions: 0 };
}

export function evolve(state: ScriptState, event: ScriptEvent): ScriptState {
  return event.type === 'ScriptSaved' ? { versions: event.data.version } : state;
}

const EDITORS: readonly Role[] = ['supervisor', 'admin'];

/**
 * A script is saved as a new version only when the prohibited-language check found nothing; otherwise the refusal
 * itself is the event, so supervisors see what was tried. `hits` come from the compliance engine's language check,
 * run by the handler on the text.
 */
export function decideScript(command: SaveScript, state: ScriptState, hits: readonly LanguageHit[]): ScriptEvent[] {
  const { data, metadata } = command;
  if (!EDITORS.includes(metadata.actorRole)) {
    throw new ArrearsError(ErrorCode.FORBIDDEN, `Scripts are kept by supervisors and admins, not a ${metadata.actorRole}`, { field: 'metadata.actorRole' });
  }
  const base = { scriptId: data.scriptId, title: data.title, language: data.language, ...(data.channel === undefined ? {} : { channel: data.channel }) };
  if (hits.length > 0) return [{ type: 'ScriptRejected', data: { ...base, hits: hits.map(({ ruleId, category, term }) => ({ ruleId, category, term })) } }];
  return [{ type: 'ScriptSaved', data: { ...base, version: state.versions + 1, text: data.text } }];
}
