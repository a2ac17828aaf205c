import type { CommandEnvelope, ServiceName, Topology } from '@arrears/contracts';
import { CommandClient, QueryClient, type QueryAsker } from '@arrears/messaging';
import type { NatsConnection } from 'nats';

/** Where the gateway sends commands and asks queries: the owning services, over NATS. */
export interface Upstream {
  send(service: ServiceName, command: CommandEnvelope, timeoutMs: number): Promise<unknown>;
  ask(service: ServiceName, query: string, params: Readonly<Record<string, unknown>>, asker: QueryAsker, timeoutMs: number): Promise<unknown>;
}

export class NatsUpstream implements Upstream {
  private readonly commands: CommandClient;
  private readonly queries: QueryClient;

  constructor(connection: NatsConnection, topology: Topology) {
    this.commands = new CommandClient({ connection, topology });
    this.queries = new QueryClient({ connection, topology });
  }

  send(service: ServiceName, command: CommandEnvelope, timeoutMs: number): Promise<unknown> {
    return this.commands.send(service, command, { timeoutMs });
  }

  ask(service: ServiceName, query: string, params: Readonly<Record<string, unknown>>, asker: QueryAsker, timeoutMs: number): Promise<unknown> {
    return this.queries.ask(service, query, params, asker, { timeoutMs });
  }
}
