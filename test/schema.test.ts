import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema, validateSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema.ts';

describe('schema hygiene', () => {
  it('schema.graphql is the printed Pothos schema (run `npm run schema:print` after changing the API)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it('the generated typed client is current (run `npm run codegen` after changing operations or the schema)', async () => {
    const { generate } = await import('@graphql-codegen/cli');
    const config = (await import('../codegen.ts')).default;
    const outputs = await generate(
      { ...config, cwd: fileURLToPath(new URL('..', import.meta.url)), silent: true },
      false,
    );
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect({ file: output.filename, stale: readFileSync(output.filename, 'utf8') !== output.content }).toEqual({
        file: output.filename,
        stale: false,
      });
    }
  });

  it('is a valid GraphQL schema', () => {
    expect(validateSchema(schema).map((e) => e.message)).toEqual([]);
  });

  it('every root field declares an auth rule', () => {
    const roots = [schema.getQueryType(), schema.getMutationType()].filter(Boolean) as GraphQLObjectType[];
    const missing: string[] = [];
    for (const root of roots) {
      for (const field of Object.values(root.getFields())) {
        const options = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
        if (!options?.authScopes) missing.push(`${root.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(schema.getQueryType()!.getFields()).length).toBeGreaterThan(5);
  });
});
