import { ROUTES } from '../routes';
import { openApiDocument } from './openapi';

type Operation = { operationId: string; 'x-roles': string[]; parameters: { name: string; in: string }[]; requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } };

describe('the OpenAPI document', () => {
  const document = openApiDocument(ROUTES, 'test') as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  it('has one operation per route, each with a unique operation id and its roles', () => {
    expect(operations).toHaveLength(ROUTES.length);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    for (const route of ROUTES) expect(document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()]?.['x-roles']).toEqual(route.roles);
  });

  it("documents every path parameter in the path, not in a command's body", () => {
    for (const { path, operation } of operations) {
      const inPath = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]);
      expect(operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name)).toEqual(inPath);
      const body = operation.requestBody?.content['application/json'].schema.properties ?? {};
      for (const name of inPath) expect([path, name, name !== undefined && name in body]).toEqual([path, name, false]);
    }
  });
});
