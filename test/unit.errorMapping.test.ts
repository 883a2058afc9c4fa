import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CreateUnconfirmedError, NotFoundError } from '../src/folders/errors.js';
import { ReconcileLimitError } from '../src/folders/reconcile.js';
import { maskError } from '../src/graphql/errors.js';
import {
  httpError,
  IManageBadRequestError,
  IManageConflictError,
  IManageForbiddenError,
  IManageHttpError,
  IManageNotFoundError,
  IManageRateLimitedError,
  IManageRefusedError,
  IManageServerError,
  IManageTokenRejectedError,
  IManageTransfersBusyError,
} from '../src/imanage/errors.js';
import { idKey, sameId } from '../src/imanage/ids.js';

/** The typed iManage errors, the domain's errors, and how the API shows each (CONTRACT §6). */

const masked = (error: Error) => {
  const { message, extensions } = maskError(new GraphQLError(error.message, { path: ['x'], originalError: error })) as GraphQLError;
  return { message, extensions };
};

describe('iManage HTTP statuses as classes', () => {
  it('gives each status the callers act on its class, all of them IManageHttpError with the status kept', () => {
    const cases: Array<[number, new (...args: never[]) => Error]> = [
      [400, IManageBadRequestError],
      [401, IManageTokenRejectedError],
      [403, IManageForbiddenError],
      [404, IManageNotFoundError],
      [409, IManageConflictError],
      [429, IManageRateLimitedError],
      [418, IManageRefusedError],
      [500, IManageServerError],
      [503, IManageServerError],
    ];
    for (const [status, Class] of cases) {
      const error = httpError('GET /x', status, 'CODE');
      expect(error).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(IManageHttpError);
      expect(error.status).toBe(status);
      expect(error.kind).toBe('http');
      expect(error instanceof IManageRefusedError).toBe(status < 500);
    }
  });
});

describe('domain errors in the API', () => {
  it('NotFoundError is NOT_FOUND with its message, the id clipped', () => {
    expect(masked(new NotFoundError('Folder', 'ACTIVE!1'))).toEqual({
      message: 'Folder "ACTIVE!1" does not exist, or this user cannot see it.',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(masked(new NotFoundError('Library', `A${'x'.repeat(100)}\n`)).message).toBe(
      `Library "A${'x'.repeat(79)}…" does not exist, or this user cannot see it.`,
    );
  });

  it('an unconfirmed create is UPSTREAM_UNAVAILABLE saying whether the parent was checked', () => {
    expect(masked(new CreateUnconfirmedError('Lost.', true))).toEqual({ message: 'Lost.', extensions: { code: 'UPSTREAM_UNAVAILABLE', parentChecked: true } });
    expect(masked(new ReconcileLimitError(2000)).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', parentChecked: false });
  });
});

describe('a transfer that found no free slot', () => {
  it('is RATE_LIMITED with retryAfter 1, saying nothing was sent and why', () => {
    const { message, extensions } = masked(new IManageTransfersBusyError('POST /libraries/{lib}/folders/{id}/documents', 8));
    expect(extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(message).toMatch(/already has 8 downloads, uploads or passthrough calls running \(IMANAGE_TRANSFERS_PER_USER\)\. Nothing was sent/);
  });
});

describe('id comparison', () => {
  it('ignores case, as iManage spells library prefixes variously', () => {
    expect(sameId('Active_uk!2222', 'ACTIVE_UK!2222')).toBe(true);
    expect(sameId('ACTIVE!1', 'ACTIVE!12')).toBe(false);
    expect(idKey('Dev')).toBe(idKey('DEV'));
  });
});
