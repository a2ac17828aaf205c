import type { caseWorkflow, CommandEnvelope } from '@arrears/contracts';

/** The roster's commands exactly as published: the roster needs nothing read from elsewhere to decide. */
export type RosterCommandBody = caseWorkflow.RosterCommand;

export type RosterCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & RosterCommandBody;
