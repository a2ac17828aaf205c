import { randomUUID } from 'node:crypto';
import { contactAttempts, ErrorCode, EventCatalog, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import { DEFAULT_COMPLIANCE_CONFIG } from '../compliance';
import { complianceRules } from '../contact/compliance-rules';
import { decideScript, evolve, initialState, type ScriptEvent } from './domain/script';

const rules = complianceRules(DEFAULT_COMPLIANCE_CONFIG);
const catalog = new EventCatalog(contactAttempts.SCRIPT_EVENTS);
const scriptId = randomUUID();
type Body = Extract<contactAttempts.ScriptCommand, { type: 'SaveScript' }>;

const given = deciderSpec({
  initialState,
  evolve,
  // The handler runs the language check on the text; here the real engine's check does the same.
  decide: (command: Parameters<typeof decideScript>[0], state) => decideScript(command, state, rules.languageHits(`${command.data.title}\n${command.data.text}`)),
  command: (body: Body, role?: Role) => ({
    ...body,
    commandId: randomUUID(),
    schemaVersion: 1,
    metadata: { correlationId: randomUUID(), actorId: 'supervisor-3', actorRole: role ?? 'supervisor', now: '2026-11-30T09:00:00.000Z' },
  }),
  check: (event: ScriptEvent) => catalog.encode(event),
});

const save = (text: string, title = 'Second reminder'): Body => ({ type: 'SaveScript', data: { scriptId, title, language: 'en', channel: 'call', text } });

describe('the script library', () => {
  it('saves a clean script as a new version each time', () => {
    const first = given().when(save('Hello, this is Acme Bank about your card account. Can we agree a payment today?')).events();
    expect(first).toEqual([{ type: 'ScriptSaved', data: expect.objectContaining({ scriptId, version: 1 }) }]);
    expect(given(...first).when(save('Hello again from Acme Bank.')).events()[0]).toMatchObject({ data: { version: 2 } });
  });

  it('refuses a script with prohibited language and records the refusal with its hits, in English and Chinese', () => {
    expect(given().when(save('If you do not pay, the police will come to your door.')).events()).toEqual([
      { type: 'ScriptRejected', data: { scriptId, title: 'Second reminder', language: 'en', channel: 'call', hits: [expect.objectContaining({ category: 'threat-arrest' }), expect.objectContaining({ category: 'threat-home-visit', term: 'come to your door' })] } },
    ]);
    const chinese = given().when({ type: 'SaveScript', data: { scriptId, title: '催收话术', language: 'zh-CN', text: '再不还钱就让你坐牢' } }).events();
    expect(chinese[0]).toMatchObject({ type: 'ScriptRejected', data: { hits: [expect.objectContaining({ term: '坐牢' })] } });
  });

  it('is kept by supervisors and admins only', () => {
    given().when(save('Hello.'), 'collector').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});
