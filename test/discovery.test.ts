import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discover } from '../src/imanage/client.js';
import { IManageUntrustedApiError } from '../src/imanage/errors.js';
import { IManageTransport } from '../src/imanage/transport.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { login } from './sandbox/helpers.js';

/**
 * Discovery is pinned (reference §1.3): the API base `GET /api` names receives every later token, so
 * it must be on the configured host's origin, and https unless http is allowed (sandbox on loopback).
 * The sandbox's discovery is replaced by a fault with the body under test; everything is real HTTP.
 */

let sb: Sandbox;
let token: string;
const transport = new IManageTransport({ timeoutMs: 2000 });
beforeAll(async () => {
  sb = await startSandbox();
  token = (await login(sb)).access_token;
});
afterAll(async () => {
  await transport.close();
  await sb.close();
});
beforeEach(() => sb.knobs.reset());

/** The sandbox's discovery reply for the demo user, with `versions` as given. */
function discoveryWith(versions: unknown) {
  return { data: { user: { id: 'JSMITH', customer_id: sb.customerId }, versions, work: { preferred_library: 'ACTIVE_US' } } };
}

describe('discover', () => {
  it("takes the v2 base iManage names on the host's origin, and falls back to /work/api/v2 when it names none", async () => {
    expect((await discover(transport, sb.url, token, { allowHttp: true })).apiBaseUrl).toBe(`${sb.url}/work/api/v2`);
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 200, body: discoveryWith([{ name: 'v2', url: `${sb.url}/api/v2/` }]) } });
    expect((await discover(transport, sb.url, token, { allowHttp: true })).apiBaseUrl).toBe(`${sb.url}/api/v2`);
    sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 200, body: discoveryWith(undefined) } });
    expect((await discover(transport, sb.url, token, { allowHttp: true })).apiBaseUrl).toBe(`${sb.url}/work/api/v2`);
  });

  it('refuses a base on another origin, with credentials, or not a URL, rather than follow or replace it', async () => {
    const port = Number(new URL(sb.url).port);
    for (const url of [
      'https://evil.example/work/api/v2',
      `http://127.0.0.1:${port + 1}/work/api/v2`,
      `http://localhost:${port}/work/api/v2`,
      `http://user:pw@127.0.0.1:${port}/work/api/v2`,
      `${sb.url}/work/api/v2?x=1`,
      'javascript:alert(1)',
      '/work/api/v2',
      '',
    ]) {
      sb.knobs.injectFault({ path: '/api', kind: { type: 'status', status: 200, body: discoveryWith([{ name: 'v2', url }]) } });
      const failure = await discover(transport, sb.url, token, { allowHttp: true }).catch((e: unknown) => e);
      expect(failure, url).toBeInstanceOf(IManageUntrustedApiError);
      expect((failure as Error).message).not.toContain('evil');
    }
  });

  it('refuses plain http unless allowed, before sending the token', async () => {
    sb.log.clear();
    const failure = await discover(transport, sb.url, token).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IManageUntrustedApiError);
    expect((failure as IManageUntrustedApiError).reason).toMatch(/https/);
    expect(sb.log.count({ path: '/api' })).toBe(0);
  });
});
