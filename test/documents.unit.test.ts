import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchCursorAfter, searchPosition } from '../src/documents/paging.js';
import { documentSearch } from '../src/documents/search.js';
import { uploadAttemptMs } from '../src/documents/upload.js';
import { parseDocumentId } from '../src/imanage/ids.js';
import type { DocumentRecord } from '../src/imanage/records.js';

/** The pure parts of documents: ids, the search's filters as iManage takes them, and its offset cursors. */

const named = (name: string) => ({ name }) as DocumentRecord;

describe('document ids', () => {
  it('parses LIBRARY!number.version, and LIBRARY!number as the latest', () => {
    expect(parseDocumentId('ACTIVE_US!453.1')).toEqual({ id: 'ACTIVE_US!453.1', library: 'ACTIVE_US', number: '453', version: 1 });
    expect(parseDocumentId('active!72634')).toEqual({ id: 'active!72634', library: 'active', number: '72634', version: null });
    for (const bad of [
      'ACTIVE_US',
      'ACTIVE_US!',
      'ACTIVE_US!0.1',
      'ACTIVE_US!1.0',
      'ACTIVE_US!1.',
      'ACTIVE_US!1.2.3',
      'A!B!1.1',
      '!1.1',
      'A\n!1.1',
      '..!1.1',
    ]) {
      expect(parseDocumentId(bad), bad).toBeNull();
    }
  });

  it('never parses text that is not an id, and parses every id of the form', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseDocumentId(text);
        if (parsed) expect(`${parsed.library}!${parsed.number}${parsed.version === null ? '' : `.${parsed.version}`}`).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), fc.integer({ min: 1, max: 999_999_999 }), (number, version) => {
        expect(parseDocumentId(`LIB!${number}.${version}`)).toEqual({ id: `LIB!${number}.${version}`, library: 'LIB', number: String(number), version });
      }),
    );
  });
});

describe('the search filters', () => {
  it('sends each filter under its iManage name, dates as ISO 8601', () => {
    const search = documentSearch({
      fullText: 'Delaware indemnification',
      type: 'PDF',
      extension: 'pdf',
      author: 'JSMITH',
      class: 'DOC',
      subclass: 'X',
      custom: new Map([
        [1, '1001'],
        [30, 'z'],
      ]),
      editedAfter: new Date('2024-01-01T00:00:00Z'),
      editedBefore: new Date('2024-12-31T23:59:59Z'),
      container: 'ACTIVE_US!58221',
      includeSubtree: true,
    });
    expect(search.filters).toEqual({
      anywhere: 'Delaware indemnification',
      type: 'PDF',
      extension: 'pdf',
      author: 'JSMITH',
      class: 'DOC',
      subclass: 'X',
      custom1: '1001',
      custom30: 'z',
      edit_date_from: '2024-01-01T00:00:00.000Z',
      edit_date_to: '2024-12-31T23:59:59.000Z',
      container_id: 'ACTIVE_US!58221',
      include_subtree: true,
    });
    expect(search.keep).toBeUndefined();
    expect(search.pageSize(20)).toBe(20);
    expect(documentSearch({}).filters).toEqual({});
  });

  it('finds any part of the name as folders do: `*text*` when that is exact, else narrowed and checked here', () => {
    const plain = documentSearch({ name: 'greem' });
    expect(plain.filters).toEqual({ name: '*greem*' });
    expect(plain.keep).toBeUndefined();

    const starred = documentSearch({ name: 'Zq*Wv' });
    expect(starred.filters).toEqual({ name: '*Zq*' });
    expect(starred.keep!(named('zq*wv 1'))).toBe(true);
    expect(starred.keep!(named('ZqXWv'))).toBe(false);
    expect(starred.pageSize(10)).toBe(50);

    const comma = documentSearch({ name: ',' });
    expect(comma.filters).toEqual({});
    expect(comma.keep!(named('Kp,Lm'))).toBe(true);
  });
});

describe('search cursors', () => {
  it('name an offset and the result before it, and resume right after any result', () => {
    expect(searchPosition(null)).toEqual({ offset: 0, after: null });
    expect(searchPosition('0')).toEqual({ offset: 0, after: null });
    expect(searchPosition('250:ACTIVE_US!123.4')).toEqual({ offset: 250, after: 'ACTIVE_US!123.4' });
    const bad = ['', '-1', '01', '1e3', '1.5', ' 1', '99999999:A!1.1', 'abc', '250', '0:A!1.1', '5:', '5:A\n!1.1', `5:${'x'.repeat(1001)}`];
    for (const cursor of bad) expect(searchPosition(cursor), cursor).toBeUndefined();
    expect(searchCursorAfter(null, 0, { id: 'L!1.1' })).toBe('1:L!1.1');
    expect(searchCursorAfter('100:L!9.1', 9, { id: 'L!2.3' })).toBe('110:L!2.3');
  });
});

describe('an upload key', () => {
  it('stays held for as long as its file may take to arrive, beside the calls around it', () => {
    // A retry with the same key while the first upload is still streaming must wait for it, not take
    // the key for abandoned and send the file a second time.
    const deps = { callTimeoutMs: 10_000, transferMs: 300_000 };
    expect(uploadAttemptMs(deps)).toBeGreaterThanOrEqual(deps.transferMs + 3 * deps.callTimeoutMs);
    expect(uploadAttemptMs({ ...deps, transferMs: 86_400_000 })).toBeGreaterThan(86_400_000);
  });
});
