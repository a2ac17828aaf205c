import { ErrorCode } from '@arrears/contracts';
import { z } from 'zod';
import type { Route } from '../routes/route';
import { HTTP_STATUS } from './errors';

type Json = Record<string, unknown>;

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['status', 'code', 'message', 'correlationId'],
  properties: {
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.values(ErrorCode), description: 'Stable: clients branch on it' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The offending field, as a dotted path' },
    details: { type: 'object', description: 'What to act on: every validation issue; for COMPLIANCE_BLOCKED the reasons and nextAllowedAt of a blocked contact, or the hits of a refused script, and the event id of the recorded decision' },
    correlationId: { type: 'string', format: 'uuid' },
  },
};

const COMMAND_RESULT_SCHEMA: Json = {
  type: 'object',
  required: ['commandId', 'correlationId'],
  properties: {
    commandId: { type: 'string', format: 'uuid', description: 'Send it again as Idempotency-Key to retry safely' },
    correlationId: { type: 'string', format: 'uuid' },
    streamId: { type: 'string' },
    repeated: { type: 'boolean', description: 'True when this command id was already handled: nothing new was written' },
    events: {
      type: 'array',
      items: { type: 'object', properties: { eventId: { type: 'string' }, type: { type: 'string' }, streamId: { type: 'string' }, streamPosition: { type: 'integer' }, globalPosition: { type: 'string' } } },
    },
  },
};

/** The OpenAPI 3.1 document of the gateway, generated from the route table and the contracts' zod schemas. */
export function openApiDocument(routes: readonly Route[], version: string): Json {
  const paths: Record<string, Json> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const described = operation(route);
    // Two routes may ask the same query (a collector's own cases, any collector's): the path tells them apart.
    let id = described['operationId'] as string;
    if (operationIds.has(id)) id = `${id}.${route.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9]+/g, '_')}`;
    operationIds.add(id);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: { ...described, operationId: id } };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arrears API',
      version,
      description:
        'Every command and read model of Arrears. Authenticate with a bearer token (JWT, HS256) whose `sub` is the operator id and `role` one of collector, supervisor, legal, auditor, admin, system, dialer. ' +
        'Send `Idempotency-Key: <uuid>` on a command to retry it safely; `X-Correlation-Id` ties the events it causes to your request.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ERROR_SCHEMA, CommandResult: COMMAND_RESULT_SCHEMA },
    },
    paths,
  };
}

function operation(route: Route): Json {
  const pathParameters = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] as string);
  const parameters: Json[] = pathParameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const roles = `Roles: ${route.roles.join(', ')}.${route.ownCases === undefined ? '' : ` A ${route.ownCases.roles.join(' or ')} only on cases assigned to them.`}`;
  const errors = errorResponses(route);
  if (route.kind === 'command') {
    const body = jsonSchema(route.command.schema);
    const properties = { ...(body['properties'] as Json | undefined) };
    for (const name of pathParameters) delete properties[name];
    const required = ((body['required'] as string[] | undefined) ?? []).filter((name) => !pathParameters.includes(name));
    return {
      tags: [route.tag],
      summary: route.summary,
      description: `${route.command.description}\n\n${roles} Sends the \`${route.command.type}\` command to ${route.command.service}.`,
      operationId: `${route.command.service}.${route.command.type}`,
      'x-roles': route.roles,
      parameters: [...parameters, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', format: 'uuid' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { ...body, properties, required } } } },
      responses: { [String(route.status ?? 200)]: { description: 'Handled', content: { 'application/json': { schema: { $ref: '#/components/schemas/CommandResult' } } } }, ...errors },
    };
  }
  for (const parameter of route.parameters ?? []) {
    const schema: Json = parameter.type === 'date-time' || parameter.type === 'date' ? { type: 'string', format: parameter.type } : { type: parameter.type };
    parameters.push({ name: parameter.name, in: 'query', required: parameter.required === true, description: parameter.description, schema: parameter.enum === undefined ? schema : { ...schema, enum: parameter.enum } });
  }
  const content = route.produces === undefined ? { 'application/json': { schema: { type: 'object' } } } : { [route.produces]: { schema: { type: 'string' } } };
  return {
    tags: [route.tag],
    summary: route.summary,
    description: `${roles} Answered by ${route.service} (\`${route.query}\`).`,
    operationId: `${route.service}.${route.query}`,
    'x-roles': route.roles,
    parameters,
    responses: { '200': { description: 'The answer', content }, ...errors },
  };
}

function errorResponses(route: Route): Json {
  const codes: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNAVAILABLE'];
  if (route.kind === 'command') codes.push('STATE_CONFLICT');
  if (route.kind === 'command' && (route.command.type === 'RequestContact' || route.command.type === 'SaveScript')) codes.push('COMPLIANCE_BLOCKED');
  const responses: Json = {};
  for (const code of codes) responses[String(HTTP_STATUS[code])] = { description: code === 'UNAVAILABLE' ? 'UNAVAILABLE or TIMEOUT: the owning service did not answer' : code, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return responses;
}

function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}
