import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/**
 * What operators see of clients' mistakes: no value a user typed, ever; every line of a request
 * carries its request id; a client's mistake is info, never error (an error line means the service or
 * iManage failed).
 */

const stack = useStack({ connect: [{ appUser: 'demo', sandboxUser: 'demo' }] });

const SECRET = 'Project Falcon – acquisition of Globex (confidential)';

describe('logs of refused and failed requests', () => {
  it('keep no variable value, carry the request id on every line, and stay below error level', async () => {
    stack.logs.length = 0;
    const requests: Array<() => Promise<{ headers: Headers }>> = [
      // A variable that does not coerce: graphql-js quotes the value in its message.
      () => stack.gql(`mutation($input: CreateSubfolderInput!) { createSubfolder(input: $input) { folder { id } } }`, { input: { name: SECRET } }),
      () => stack.gql(`query($id: ID!) { folder(id: $id) { id } }`, { id: SECRET }),
      () => stack.gql(`{ folder(id: "ACTIVE_US!999999") { id } }`),
      () => stack.gql(`{ foldr { id } }`),
      () => stack.gql(`{ customer { id } }`, undefined, { user: 'not-connected' }),
      () => stack.gql(`{ viewer { id } }`, undefined, { token: 'not-a-token' }),
      // CSRF prevention: a GET without the prevention header.
      () => fetch(`${stack.url}/graphql?query=${encodeURIComponent(`{ folder(id: "${SECRET}") { id } }`)}`, { headers: { accept: 'application/json' } }),
    ];
    const ids: string[] = [];
    for (const send of requests) ids.push((await send()).headers.get('x-request-id')!);
    await new Promise((resolve) => setImmediate(resolve));

    const lines = stack.logs.map((line) => JSON.parse(line) as { level: number; requestId?: string; msg: string });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of stack.logs) expect(line).not.toContain('Project Falcon');
    for (const line of lines) expect(line.level, JSON.stringify(line)).toBeLessThan(50);
    for (const line of lines) expect(ids, JSON.stringify(line)).toContain(line.requestId);
    // Once per line: a child logger's binding and the request scope's must not both write it.
    for (const line of stack.logs) expect(line.match(/"requestId":/g), line).toHaveLength(1);
    // The coercion failures are recorded, by code.
    expect(lines.filter((l) => l.msg === 'request refused' || l.msg === 'graphql operation').length).toBeGreaterThanOrEqual(3);
  });
});
