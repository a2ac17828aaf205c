import { z } from 'zod';
import { defineEvent, type ServiceName } from './catalog';
import { InstantSchema } from './envelope';

/**
 * The events every saga (process manager) keeps beside its own decisions, in its own stream: what it asked other
 * services to do and which timers it set or cleared. The saga runtime (`@arrears/sagas`) carries them out from
 * the stored event, so a decision and its effects can never part, and a crash repeats an effect with the same ids.
 */
export function sagaEffectEvents<Service extends ServiceName>(service: Service) {
  const sagaId = z.string().min(1).max(200);
  return [
    defineEvent({
      service,
      type: 'SagaCommandIssued',
      version: 1,
      description: 'The saga sent a command to a service, with a command id derived from what caused it: sent again after a crash, it is the same command and changes nothing.',
      schema: z
        .object({
          sagaId,
          commandId: z.uuid(),
          service: z.string().min(1).max(50),
          command: z.string().regex(/^[A-Z][A-Za-z0-9]+$/),
          data: z.record(z.string(), z.unknown()),
          /** Why the saga sent it. */
          reason: z.string().min(1).max(500),
        })
        .strict(),
    }),
    defineEvent({
      service,
      type: 'SagaCommandRefused',
      version: 1,
      description: 'A command the saga sent was refused by its service: the code and message, for the saga and its auditors.',
      schema: z.object({ sagaId, commandId: z.uuid(), service: z.string().min(1).max(50), command: z.string().min(1).max(100), code: z.string().min(1).max(50), message: z.string().max(2_000) }).strict(),
    }),
    defineEvent({
      service,
      type: 'SagaTimerSet',
      version: 1,
      description: 'The saga set a durable timer: when it fires, the saga is asked again, with the timer as its input.',
      schema: z.object({ sagaId, timerId: z.uuid(), kind: z.string().min(1).max(100), fireAt: InstantSchema, payload: z.record(z.string(), z.unknown()) }).strict(),
    }),
    defineEvent({
      service,
      type: 'SagaTimerCleared',
      version: 1,
      description: 'The saga cleared a timer it had set (the stage it guarded was left): if it has not fired, it never will.',
      schema: z.object({ sagaId, timerId: z.uuid(), kind: z.string().min(1).max(100) }).strict(),
    }),
  ] as const;
}
