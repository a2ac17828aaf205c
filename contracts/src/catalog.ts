import { z } from 'zod';
import { ArrearsError, ErrorCode, validationFailed } from './errors';
import { CommandEnvelopeSchema, type CommandEnvelope } from './envelope';

export const SERVICES = [
  'accounts',
  'contact-attempts',
  'promises-to-pay',
  'payment-plans',
  'legal-escalation',
  'case-workflow',
  'audit',
  'gateway',
] as const;
export type ServiceName = (typeof SERVICES)[number];

type Data = Record<string, unknown>;

/**
 * An earlier shape of an event's data and how to lift it one version up. Stored events are never rewritten:
 * old versions are upcast when read, so every consumer only ever handles the current shape.
 */
export interface PastVersion {
  readonly version: number;
  readonly schema: z.ZodType<Data>;
  /** Data of exactly this version → data of `version + 1`. Pure: no clock, no I/O. */
  readonly upcast: (data: Data) => Data;
}

export interface EventDefinition<Type extends string = string, Current extends Data = Data> {
  readonly kind: 'event';
  readonly service: ServiceName;
  readonly type: Type;
  readonly version: number;
  readonly schema: z.ZodType<Current>;
  readonly description: string;
  readonly past: readonly PastVersion[];
}

export interface CommandDefinition<Type extends string = string, Input extends Data = Data> {
  readonly kind: 'command';
  readonly service: ServiceName;
  readonly type: Type;
  readonly version: number;
  readonly schema: z.ZodType<Input>;
  readonly description: string;
}

/**
 * Declares one event of a service's published language. `past` lists every earlier version, oldest first,
 * each with its upcaster; the chain must be complete (1, 2, … version − 1) or the definition is refused.
 */
export function defineEvent<Type extends string, Current extends Data>(definition: {
  service: ServiceName;
  type: Type;
  version: number;
  schema: z.ZodType<Current>;
  description: string;
  past?: readonly PastVersion[];
}): EventDefinition<Type, Current> {
  const past = definition.past ?? [];
  past.forEach((step, index) => {
    if (step.version !== index + 1) {
      throw new Error(`${definition.type}: past versions must run 1, 2, …; found v${step.version} at place ${index + 1}`);
    }
  });
  if (past.length !== definition.version - 1) {
    throw new Error(`${definition.type} v${definition.version} needs upcasters from every earlier version, has ${past.length}`);
  }
  return { kind: 'event', ...definition, past };
}

export function defineCommand<Type extends string, Input extends Data>(definition: {
  service: ServiceName;
  type: Type;
  version?: number;
  schema: z.ZodType<Input>;
  description: string;
}): CommandDefinition<Type, Input> {
  return { kind: 'command', ...definition, version: definition.version ?? 1 };
}

export type EventOf<D> = D extends EventDefinition<infer T, infer C> ? { readonly type: T; readonly data: C } : never;
export type CommandOf<D> = D extends CommandDefinition<infer T, infer I> ? { readonly type: T; readonly data: I } : never;

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(result.error, prefix);
  return result.data;
}

/** One service's (or the whole platform's) events: encode for writing, decode with upcasting for reading. */
export class EventCatalog<D extends EventDefinition = EventDefinition> {
  private readonly byType = new Map<string, D>();

  constructor(definitions: readonly D[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`Event type ${definition.type} is defined twice`);
      this.byType.set(definition.type, definition);
    }
  }

  get definitions(): readonly D[] {
    return [...this.byType.values()];
  }

  /** Whether the catalog defines events of this type. */
  has(type: string): boolean {
    return this.byType.has(type);
  }

  definition(type: string): D {
    const found = this.byType.get(type);
    if (found === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Unknown event type ${type}`, { field: 'type' });
    return found;
  }

  /** Validates data against the current schema and stamps the current version. */
  encode<E extends EventOf<D>>(event: E): { type: E['type']; schemaVersion: number; data: E['data'] } {
    const definition = this.definition(event.type);
    return { type: event.type, schemaVersion: definition.version, data: parseOrThrow(definition.schema, event.data, 'data') as E['data'] };
  }

  /** Reads stored data of any known version and returns it in the current shape. */
  decode(stored: { readonly type: string; readonly schemaVersion: number; readonly data: unknown }): EventOf<D> {
    const definition = this.definition(stored.type);
    if (stored.schemaVersion === definition.version) {
      return { type: stored.type, data: parseOrThrow(definition.schema, stored.data, 'data') } as EventOf<D>;
    }
    const start = definition.past[stored.schemaVersion - 1];
    if (start === undefined) {
      throw new ArrearsError(
        ErrorCode.VALIDATION_FAILED,
        `${stored.type} has no schema version ${stored.schemaVersion} (current is ${definition.version})`,
        { field: 'schemaVersion' },
      );
    }
    let data = parseOrThrow(start.schema, stored.data, 'data');
    for (const step of definition.past.slice(stored.schemaVersion - 1)) data = step.upcast(data);
    return { type: stored.type, data: parseOrThrow(definition.schema, data, 'data') } as EventOf<D>;
  }
}

/** Commands of one service: validates the envelope and the data, or throws VALIDATION_FAILED naming the field. */
export class CommandCatalog<D extends CommandDefinition = CommandDefinition> {
  private readonly byType = new Map<string, D>();

  constructor(definitions: readonly D[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`Command type ${definition.type} is defined twice`);
      this.byType.set(definition.type, definition);
    }
  }

  get definitions(): readonly D[] {
    return [...this.byType.values()];
  }

  parse(input: unknown): CommandEnvelope & CommandOf<D> {
    const envelope = parseOrThrow(CommandEnvelopeSchema, input, '') as CommandEnvelope;
    const definition = this.byType.get(envelope.type);
    if (definition === undefined) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Unknown command type ${envelope.type}`, { field: 'type' });
    }
    if (envelope.schemaVersion !== definition.version) {
      throw new ArrearsError(
        ErrorCode.VALIDATION_FAILED,
        `${envelope.type} is at schema version ${definition.version}, not ${envelope.schemaVersion}`,
        { field: 'schemaVersion' },
      );
    }
    return { ...envelope, data: parseOrThrow(definition.schema, envelope.data, 'data') } as CommandEnvelope & CommandOf<D>;
  }
}
