import { z } from 'zod';
import { asyncApiDocument } from './asyncapi';
import { defineCommand, defineEvent } from './catalog';
import { natsTopology } from './messaging';

const PlanDefaulted = defineEvent({
  service: 'payment-plans',
  type: 'PlanDefaulted',
  version: 2,
  description: 'Too many instalments were missed.',
  schema: z.object({ planId: z.uuid(), missed: z.number().int().min(1) }).strict(),
  past: [{ version: 1, schema: z.object({ planId: z.uuid() }).strict(), upcast: (data) => ({ ...data, missed: 1 }) }],
});
const ProposePlan = defineCommand({
  service: 'payment-plans',
  type: 'ProposePlan',
  description: 'Propose a payment plan.',
  schema: z.object({ caseId: z.uuid(), instalments: z.number().int().min(2) }).strict(),
});

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument({ events: [PlanDefaulted], commands: [ProposePlan], version: '1.2.3' }, natsTopology('arrears'));
  const channels = document['channels'] as Record<string, Record<string, { message: { $ref: string } }>>;
  const components = document['components'] as { messages: Record<string, Record<string, unknown>>; schemas: Record<string, Record<string, unknown>> };

  it('has a channel per event subject whose message carries the current data schema and the envelope headers', () => {
    expect(document['info']).toMatchObject({ version: '1.2.3' });
    expect(channels['arrears.evt.payment-plans.PlanDefaulted']?.['subscribe']?.message.$ref).toBe('#/components/messages/PlanDefaulted');
    const message = components.messages['PlanDefaulted']!;
    expect(message['x-schema-version']).toBe(2);
    expect(message['payload']).toMatchObject({ type: 'object', required: ['planId', 'missed'], properties: { missed: { type: 'integer', minimum: 1 } } });
    expect(message['description']).toMatch(/v1\) are upcast to v2/);
    expect(message['description']).toMatch(/plan-<id>/);
    expect(components.schemas['EventHeaders']).toMatchObject({ required: expect.arrayContaining(['Nats-Msg-Id', 'Arrears-Stream-Id']) });
    expect((components.schemas['EventHeaders']!['required'] as string[]).includes('Arrears-Case-Id')).toBe(false);
  });

  it('has a channel per command subject with the command data schema and the reply', () => {
    expect(channels['arrears.cmd.payment-plans.ProposePlan']?.['publish']?.message.$ref).toBe('#/components/messages/ProposePlanCommand');
    const message = components.messages['ProposePlanCommand']!;
    expect(JSON.stringify(message['payload'])).toContain('"instalments"');
    expect(components.schemas['CommandReply']).toBeDefined();
  });

  it('follows the topology it is given', () => {
    const other = asyncApiDocument({ events: [PlanDefaulted], commands: [], version: '0' }, natsTopology('t_x'));
    expect(Object.keys(other['channels'] as object)).toEqual(['t_x.evt.payment-plans.PlanDefaulted']);
  });
});
