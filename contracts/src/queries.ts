import { z } from 'zod';
import type { ServiceName } from './catalog';
import { IdSchema, RoleSchema, TraceContextSchema } from './envelope';
import { DEFAULT_TOPOLOGY, type Topology } from './messaging';

/**
 * Reading a service's read models over NATS request-reply (docs/wire-contract.md): the gateway owns no data, so
 * it asks the owning service. A query changes nothing; its reply is a `CommandReply` like a command's.
 */
export const QueryTypeSchema = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase query name');

export const QueryEnvelopeSchema = z
  .object({
    queryId: IdSchema,
    type: QueryTypeSchema,
    /** What the query takes; the service validates it and names the offending field. */
    params: z.record(z.string(), z.unknown()),
    /** Who asks: the service may narrow what it returns to what the role may see. */
    actorId: z.string().min(1).max(200),
    actorRole: RoleSchema,
    trace: TraceContextSchema.optional(),
  })
  .strict();
export type QueryEnvelope = z.infer<typeof QueryEnvelopeSchema>;

/** `<root>.qry.<service>.<Query>`. */
export function querySubject(service: ServiceName, query: string, topology: Topology = DEFAULT_TOPOLOGY): string {
  const parsed = QueryTypeSchema.safeParse(query);
  if (!parsed.success) throw new Error(`"${query}" cannot be a query name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return `${topology.root}.qry.${service}.${query}`;
}
