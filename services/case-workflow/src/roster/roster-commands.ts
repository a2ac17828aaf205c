import { ArrearsError, caseWorkflow, ErrorCode, EventCatalog } from '@arrears/contracts';
import { handleCommand, type CommandOutcome, type EventStore } from '@arrears/event-store';
import type { RosterCommandEnvelope } from './domain/commands';
import { rosterDecider } from './domain/decide';
import type { RosterPolicy } from './domain/policy';
import { evolve, initialState } from './domain/roster';

export const ROSTER_EVENT_CATALOG = new EventCatalog(caseWorkflow.ROSTER_EVENTS);

/** The team a roster command names when it names none. */
export const DEFAULT_TEAM = 'main';

/**
 * One team is one stream: capacity and "held by one collector" are then rules of one aggregate. Concurrent commands
 * on a team conflict on the stream version and are decided again on the newer roster, up to this many times.
 */
export const ROSTER_DECIDE_ATTEMPTS = 20;

export function rosterStream(teamId: string = DEFAULT_TEAM): string {
  return `roster-${teamId}`;
}

/** The roster command side: load → decide → append on the team's stream, `roster-<teamId>`. */
export class RosterCommands {
  private readonly decide: ReturnType<typeof rosterDecider>;

  constructor(
    private readonly store: EventStore,
    policy: RosterPolicy,
  ) {
    this.decide = rosterDecider(policy);
  }

  handle(command: RosterCommandEnvelope): Promise<CommandOutcome> {
    const data = command.data;
    // The events of a case's command belong to that case's history; a different case id in the metadata is a mistake.
    if ('caseId' in data && command.metadata.caseId !== undefined && command.metadata.caseId !== data.caseId) {
      return Promise.reject(new ArrearsError(ErrorCode.VALIDATION_FAILED, `The command is about case ${data.caseId}, not ${command.metadata.caseId}`, { field: 'metadata.caseId' }));
    }
    return handleCommand(
      { store: this.store, streamId: rosterStream(data.teamId), initialState, evolve, decide: this.decide, events: ROSTER_EVENT_CATALOG, maxAttempts: ROSTER_DECIDE_ATTEMPTS },
      command,
    );
  }
}
