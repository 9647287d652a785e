// Tests that the OpenAPI document covers every route and schema and that docs/openapi.json is in sync with it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CameraCreate } from '../../common/api';
import { formatOpenApi, openApiPath } from './openapi';
import { documentedRoutes, openApiDocument } from './routes/index';
import { startTestServer, type TestServer } from './test-support';
import { CameraSchema } from '../../common/endpoints/schemas';

type Doc = {
  paths: Record<
    string,
    Record<string, { security: unknown[]; parameters?: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('OpenAPI', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  test('docs/openapi.json equals the generated document (run `tsx scripts/gen-openapi.ts` after changing routes)', () => {
    const file = fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(file).toBe(formatOpenApi(openApiDocument()));
  });

  test('GET /api/v1/openapi.json is public and serves the same document', async () => {
    const r = await t.call('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(openApiDocument());
  });

  test('every route is documented with its auth, parameters and body', () => {
    const doc = openApiDocument() as Doc;
    const routes = documentedRoutes();
    expect(routes).toEqual(t.app.routes.map((r) => expect.objectContaining({ method: r.method, path: r.path })));
    let ops = 0;
    for (const r of routes) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      ops++;
      expect(op.security).toEqual(r.auth === 'public' ? [] : [{ bearerAuth: [] }]);
      if (r.body) expect(op.requestBody).toBeDefined();
      for (const name of Object.keys((r.query?.json.properties ?? {}) as object))
        expect(
          op.parameters?.some((p) => p.name === name && p.in === 'query'),
          `${r.path} ?${name}`,
        ).toBe(true);
      if (r.path.includes(':id')) expect(op.parameters?.some((p) => p.name === 'id' && p.in === 'path')).toBe(true);
    }
    const total = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    expect(total).toBe(ops);
  });

  test('the camera schemas are the ones the server validates with', () => {
    const doc = openApiDocument() as Doc;
    const camera = doc.components.schemas.Camera;
    expect(camera.properties).toMatchObject({ hasPassword: { type: 'boolean' }, status: { $ref: '#/components/schemas/CameraStatus' } });
    expect(Object.keys(camera.properties as object)).toEqual(Object.keys(CameraSchema.json.properties as object));
    expect(camera.properties).not.toHaveProperty('password');
    expect(doc.components.schemas.CameraCreate).toEqual(CameraCreate.json);
    expect(doc.paths['/api/v1/cameras'].post.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CameraCreate' } } },
    });
  });

  test('docs/api.md mentions every route', () => {
    const md = fs.readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const r of documentedRoutes()) expect(md, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path.replace('/api/v1', '')}`);
  });
});
