import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs in sandbox mode with defaults when IMANAGE_BASE_URL is unset', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.imanageScopes).toEqual(['user']);
    expect(config.jwt.generated).toBe(true);
    expect(config.graphiql).toBe(true);
    expect(config.imanageConnections).toBe(64);
    expect(loadConfig({ IMANAGE_CONNECTIONS: '200' }).imanageConnections).toBe(200);
    expect(config.maxUpstreamCallsPerOperation).toBe(300);
    expect(loadConfig({ MAX_UPSTREAM_CALLS_PER_OPERATION: '1' }).maxUpstreamCallsPerOperation).toBe(1);
    expect(loadConfig({ MAX_UPSTREAM_CALLS_PER_OPERATION: '10000' }).maxUpstreamCallsPerOperation).toBe(10_000);
    expect(config.downloadLinkTtlSeconds).toBe(60);
    expect(loadConfig({ DOWNLOAD_LINK_TTL_SECONDS: '10' }).downloadLinkTtlSeconds).toBe(10);
    expect(loadConfig({ DOWNLOAD_LINK_TTL_SECONDS: '3600' }).downloadLinkTtlSeconds).toBe(3_600);
    expect(loadConfig({}).requestTimeoutMs).toBe(300_000);
    expect(loadConfig({}).imanageTransfersPerUser).toBe(8);
    expect(loadConfig({ IMANAGE_TRANSFERS_PER_USER: '2' }).imanageTransfersPerUser).toBe(2);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '3600000' }).requestTimeoutMs).toBe(3_600_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps audit rows 90 days by default, whole days from 1 to 36500, or forever; 0 is refused', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(90);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '1' }).auditRetentionDays).toBe(1);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '36500' }).auditRetentionDays).toBe(36_500);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: 'forever' }).auditRetentionDays).toBeNull();
    for (const bad of ['0', '-1', '1.5', '36501', 'never', 'Forever', '90d']) {
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow('AUDIT_RETENTION_DAYS is invalid: expected whole days from 1 to 36500, or "forever".');
    }
  });

  it('uses AUTH_JWT_SECRET in sandbox mode when set', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: 's'.repeat(40) });
    expect(config.jwt.generated).toBe(false);
    expect(new TextDecoder().decode(config.jwt.secret!)).toBe('s'.repeat(40));
  });

  it('requires the iManage app and a JWT secret outside sandbox mode', () => {
    expect(() => loadConfig({ IMANAGE_BASE_URL: 'https://cloudimanage.com' })).toThrow(/^IMANAGE_CLIENT_ID is required/);
    const base = { IMANAGE_BASE_URL: 'https://cloudimanage.com/', IMANAGE_CLIENT_ID: 'id', IMANAGE_CLIENT_SECRET: 'secret' };
    expect(() => loadConfig({ ...base, AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/^TOKEN_ENCRYPTION_KEY is required/);
    expect(() => loadConfig({ ...base, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') })).toThrow(
      /^AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is required/,
    );
    const config = loadConfig({ ...base, AUTH_JWT_SECRET: 'x'.repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') });
    expect(config.mode).toBe('imanage');
    expect(config.host).toBe('0.0.0.0');
    expect(config.imanageBaseUrl).toBe('https://cloudimanage.com');
    expect(config.graphiql).toBe(false);
  });

  it('stops at an IMANAGE_BASE_URL that points at the API rather than the host, or is http off loopback', () => {
    const base = {
      IMANAGE_CLIENT_ID: 'id',
      IMANAGE_CLIENT_SECRET: 'secret',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    };
    for (const url of [
      'https://cloudimanage.com/work/api/v2',
      'https://cloudimanage.com/work/api/v2/',
      'https://cloudimanage.com/api',
      'https://cloudimanage.com/api/',
      'https://firm.imanage.work/WORK/API/V2',
      'https://cloudimanage.com/work/api',
      'https://cloudimanage.com/api/v2',
    ]) {
      expect(() => loadConfig({ ...base, IMANAGE_BASE_URL: url }), url).toThrow(
        new ConfigError('IMANAGE_BASE_URL is invalid: expected the iManage host without /work/api/v2 or /api, e.g. https://cloudimanage.com.'),
      );
    }
    expect(() => loadConfig({ ...base, IMANAGE_BASE_URL: 'http://cloudimanage.com' })).toThrow(
      /^IMANAGE_BASE_URL is invalid: expected an https URL \(http only on a loopback host/,
    );
    for (const url of [
      'https://cloudimanage.com',
      'https://imanage.firm.example/dms',
      'https://cloudimanage.com/apis',
      'http://127.0.0.1:4010',
      'http://localhost:4010',
    ]) {
      expect(loadConfig({ ...base, IMANAGE_BASE_URL: url }).imanageBaseUrl, url).toBe(url);
    }
  });

  it("limits app token lifetimes to AUTH_JWT_MAX_AGE: an hour by default, the dev token's week in sandbox mode", () => {
    const outside = {
      IMANAGE_BASE_URL: 'https://cloudimanage.com',
      IMANAGE_CLIENT_ID: 'id',
      IMANAGE_CLIENT_SECRET: 'secret',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    };
    expect(loadConfig(outside).jwt.maxAgeSeconds).toBe(3600);
    expect(loadConfig({}).jwt.maxAgeSeconds).toBe(7 * 86_400);
    expect(loadConfig({ ...outside, AUTH_JWT_MAX_AGE: '900' }).jwt.maxAgeSeconds).toBe(900);
    expect(() => loadConfig({ AUTH_JWT_MAX_AGE: '1e9' })).toThrow(/^AUTH_JWT_MAX_AGE is invalid: expected seconds from 60 to 2592000/);
  });

  it('names the variable and what it expects in one line, without echoing the value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'abc' }, /^PORT is invalid: expected an integer port/],
      [{ PORT: '70000' }, /^PORT is invalid/],
      [{ IMANAGE_BASE_URL: 'ftp://x' }, /^IMANAGE_BASE_URL is invalid/],
      [{ AUTH_JWT_SECRET: 'short-secret-value' }, /^AUTH_JWT_SECRET is invalid: expected an HS256 secret of at least 32/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL is invalid/],
      [{ IMANAGE_CONNECTIONS: '0' }, /^IMANAGE_CONNECTIONS is invalid: expected an integer from 1 to 1024/],
      [{ MAX_UPSTREAM_CALLS_PER_OPERATION: '0' }, /^MAX_UPSTREAM_CALLS_PER_OPERATION is invalid: expected an integer from 1 to 10000/],
      [{ MAX_UPSTREAM_CALLS_PER_OPERATION: '10001' }, /^MAX_UPSTREAM_CALLS_PER_OPERATION is invalid/],
      [{ MAX_UPSTREAM_CALLS_PER_OPERATION: '2.5' }, /^MAX_UPSTREAM_CALLS_PER_OPERATION is invalid/],
      [{ DOWNLOAD_LINK_TTL_SECONDS: '9' }, /^DOWNLOAD_LINK_TTL_SECONDS is invalid: expected seconds from 10 to 3600\.$/],
      [{ REQUEST_TIMEOUT_MS: '999' }, /^REQUEST_TIMEOUT_MS is invalid: expected milliseconds from 1000 to 86400000 \(a day\)\.$/],
      [{ REQUEST_TIMEOUT_MS: '0' }, /^REQUEST_TIMEOUT_MS is invalid/],
      [{ IMANAGE_TRANSFERS_PER_USER: '0' }, /^IMANAGE_TRANSFERS_PER_USER is invalid: expected an integer from 1 to 100\.$/],
      [{ DOWNLOAD_LINK_TTL_SECONDS: '3601' }, /^DOWNLOAD_LINK_TTL_SECONDS is invalid/],
      [{ DOWNLOAD_LINK_TTL_SECONDS: '1m' }, /^DOWNLOAD_LINK_TTL_SECONDS is invalid/],
    ];
    for (const [env, pattern] of cases) {
      let caught: unknown;
      try {
        loadConfig(env);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const message = (caught as Error).message;
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
      expect(message).not.toContain('short-secret-value');
    }
  });
});
