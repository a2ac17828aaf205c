import type { CommandEnvelope, ServiceName } from '@arrears/contracts';
import type { QueryAsker } from '@arrears/messaging';
import type { Upstream } from '../http/upstream';

export type UpstreamCall =
  | { readonly kind: 'command'; readonly service: ServiceName; readonly command: CommandEnvelope }
  | { readonly kind: 'query'; readonly service: ServiceName; readonly query: string; readonly params: Readonly<Record<string, unknown>>; readonly asker: QueryAsker };

/**
 * The gateway's upstream port for tests of the HTTP layer alone: records every command and query and answers with
 * what `answer` returns (default: a command outcome with no events, an empty object for a query). Tests of the
 * whole path use the real services over NATS instead.
 */
export class RecordingUpstream implements Upstream {
  readonly calls: UpstreamCall[] = [];

  constructor(private readonly answer: (call: UpstreamCall) => unknown = (call) => (call.kind === 'command' ? { streamId: 'x', events: [], repeated: false } : {})) {}

  async send(service: ServiceName, command: CommandEnvelope): Promise<unknown> {
    const call: UpstreamCall = { kind: 'command', service, command };
    this.calls.push(call);
    return this.answer(call);
  }

  async ask(service: ServiceName, query: string, params: Readonly<Record<string, unknown>>, asker: QueryAsker): Promise<unknown> {
    const call: UpstreamCall = { kind: 'query', service, query, params, asker };
    this.calls.push(call);
    return this.answer(call);
  }
}
