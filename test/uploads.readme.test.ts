import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/** README "Uploading a document": its `curl` block, run as it is written against the service and the sandbox. */
describe('README: uploading a document with curl', () => {
  const stack = useStack();

  it('files the file, and iManage holds its bytes', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- upload-example -->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), 'readme-upload-'));
    try {
      const bytes = randomBytes(300 * 1024);
      await writeFile(join(dir, 'Employment Agreement.docx'), bytes);
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block!], {
        cwd: dir,
        env: { PATH: process.env.PATH, URL: stack.url, TOKEN: await stack.token(), FOLDER: stack.sandbox.ids.emptyFolder },
      });
      const answer = JSON.parse(stdout) as { data: { uploadDocument: { document: { id: string; name: string; size: number }; userErrors: unknown[] } } };
      expect(answer.data.uploadDocument.userErrors).toEqual([]);
      expect(answer.data.uploadDocument.document).toMatchObject({ name: 'Employment Agreement', size: bytes.length });
      expect(stack.sandbox.documentSha256(answer.data.uploadDocument.document.id)).toBe(createHash('sha256').update(bytes).digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
