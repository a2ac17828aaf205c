import { contactAttempts, EventCatalog, type CommandEnvelope } from '@arrears/contracts';
import { handleCommand, type CommandOutcome, type EventStore } from '@arrears/event-store';
import type { ComplianceRules } from '../contact/domain/rules';
import { decideScript, evolve, initialState } from './domain/script';

export const SCRIPT_EVENT_CATALOG = new EventCatalog(contactAttempts.SCRIPT_EVENTS);

/** The script library: every save checked for prohibited language; a hit is recorded as the refusal. */
export class ScriptCommands {
  constructor(
    private readonly store: EventStore,
    private readonly rules: ComplianceRules,
  ) {}

  handle(command: Omit<CommandEnvelope, 'type' | 'data'> & contactAttempts.ScriptCommand): Promise<CommandOutcome> {
    const hits = this.rules.languageHits(`${command.data.title}\n${command.data.text}`);
    return handleCommand(
      { store: this.store, streamId: `script-${command.data.scriptId}`, initialState, evolve, decide: (saved, state) => decideScript(saved, state, hits), events: SCRIPT_EVENT_CATALOG },
      command,
    );
  }
}
