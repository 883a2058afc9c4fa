import { describe, expect, it } from 'vitest';
import { jsonLine, parseReportOptions, table, UsageError } from '../src/audit/report.js';
import type { AuditEvent } from '../src/audit/trail.js';

/** `npm run audit`'s arguments and output formats, without a process (test/audit.cli.test.ts runs the process). */

const NOW = Date.parse('2026-12-10T12:00:00.000Z');

describe('parseReportOptions', () => {
  it('reads every option; JSON lines and 1000 events by default', () => {
    expect(parseReportOptions([], NOW)).toEqual({ user: undefined, since: undefined, until: undefined, format: 'jsonl', limit: 1000 });
    expect(
      parseReportOptions(['--user', 'demo', '--since', '2026-12-01', '--until', '2026-12-02T09:30:00Z', '--format', 'table', '--limit', '5'], NOW),
    ).toEqual({
      user: 'demo',
      since: new Date('2026-12-01T00:00:00.000Z'),
      until: new Date('2026-12-02T09:30:00.000Z'),
      format: 'table',
      limit: 5,
    });
  });

  it('reads an age as that long before now', () => {
    expect(parseReportOptions(['--since', '7d'], NOW).since).toEqual(new Date(NOW - 7 * 86_400_000));
    expect(parseReportOptions(['--since', '12h'], NOW).since).toEqual(new Date(NOW - 12 * 3_600_000));
    expect(parseReportOptions(['--until', '30m'], NOW).until).toEqual(new Date(NOW - 30 * 60_000));
  });

  it.each([
    [['--since', 'yesterday']],
    [['--since', '2026-13-01']],
    [['--until', '12/01/2026']],
    [['--since', '7w']],
    [['--format', 'xml']],
    [['--limit', '0']],
    [['--limit', '100001']],
    [['--limit', '2.5']],
    [['--user', '']],
    [['--who', 'demo']],
    [['demo']],
    [['--user']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseReportOptions(argv, NOW)).toThrow(UsageError);
  });
});

const event: AuditEvent = {
  id: '0b6b6c8e-1c1a-4c5e-9a7e-2f1d9c1b2a3d',
  at: new Date('2026-12-01T09:30:00.000Z'),
  appUserId: 'demo',
  customerId: '5948',
  imanageUserId: 'JSMITH',
  kind: 'graphql',
  operation: 'mutation Create { createSubfolder }',
  targetIds: ['ACTIVE_US!52811', 'ACTIVE_US!60001'],
  outcome: 'ok',
  imanageStatus: 201,
  errorCode: null,
  requestId: 'req-12345678',
};

describe('output', () => {
  it('a JSON line holds the row, the time in ISO 8601', () => {
    expect(JSON.parse(jsonLine(event))).toEqual({ ...event, at: '2026-12-01T09:30:00.000Z' });
  });

  it('a table aligns its columns, says "-" for what is missing and never prints a control character', () => {
    const other: AuditEvent = {
      ...event,
      appUserId: 'evil\u001b[31muser',
      customerId: null,
      imanageUserId: null,
      kind: 'connect',
      operation: 'connect callback',
      targetIds: [],
      outcome: 'refused',
      imanageStatus: null,
      errorCode: 'state_mismatch',
      requestId: null,
    };
    expect(table([event, other])).toBe(
      'at                        app user       imanage      operation                            targets                          outcome  status  code            request id\n' +
        '2026-12-01T09:30:00.000Z  demo           5948/JSMITH  mutation Create { createSubfolder }  ACTIVE_US!52811,ACTIVE_US!60001  ok       201     -               req-12345678\n' +
        '2026-12-01T09:30:00.000Z  evil?[31muser  -            connect callback                     -                                refused  -       state_mismatch  -\n',
    );
  });
});
