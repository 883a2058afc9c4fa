import { buildASTSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleOperations } from '../src/graphql/examples.js';
import { typeDefs } from '../src/graphql/typeDefs.generated.js';

describe('the GraphiQL examples', () => {
  it('are valid against the schema', () => {
    expect(validate(buildASTSchema(typeDefs), parse(exampleOperations))).toEqual([]);
  });
});
