import { stringifyDocument, type TypedDocumentNode } from '@urql/core';

/**
 * Sending a file with a GraphQL operation, by the GraphQL multipart request spec
 * (https://github.com/jaydenseric/graphql-multipart-request-spec), over XMLHttpRequest: `fetch` cannot
 * report how much of a request body has been sent, and the drop zone shows exactly that.
 *
 * The request is a `multipart/form-data` POST to the GraphQL endpoint with three parts, in this order:
 *
 *   operations  {"query": "mutation UploadDocument(…) {…}", "variables": {"input": {…, "file": null}}}
 *   map         {"0": ["variables.input.file"]}        which part fills which null variable
 *   0           the file's bytes (its name and type in the part's headers)
 *
 * The order matters: the service reads `operations` and `map` first, checks the operation (app token,
 * limits, the input), and only then streams part `0` on to iManage as it arrives, never holding the
 * file whole. So the bytes this request has sent are bytes on their way to iManage, and a refusal
 * (a folder the user may only read, a bad name) comes before the file is read.
 *
 * Headers:
 *
 * - `Authorization: Bearer <app token>`, as on every request.
 * - `x-graphql-yoga-csrf: 1`, the service's CSRF prevention header. A multipart form POST is a "simple"
 *   request: any web page can make a browser send one to any site, cookies and all, without asking
 *   first. The service therefore refuses a multipart (or form, or GET) request that does not carry this
 *   header, which no plain form can set. A page that sets it makes its browser ask first (a CORS
 *   preflight), which the service answers only for the origins in its `CORS_ORIGINS`. Leave it out and
 *   the answer is HTTP 403, "Required CSRF header(s) not present", before any byte of the file is read.
 * - No `Content-Type`: the browser writes `multipart/form-data; boundary=…` itself from the FormData,
 *   and `Content-Length`, which lets the service refuse a file over `UPLOAD_MAX_BYTES`
 *   (`FILE_TOO_LARGE`) before reading it.
 */

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** A GraphQL answer as JSON: `data` and/or `errors`. */
export interface GraphQLAnswer<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface MultipartRequest<Data, Input> {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** The app user token. */
  token: string;
  /** An operation whose only variable is `input`, with a `file` field that the file fills. */
  document: TypedDocumentNode<Data, { input: Input }>;
  /** The input without its file: `file` is sent as null and the map points it at part `0`. */
  input: Omit<Input, 'file'>;
  file: File;
  /** Bytes of the request sent so far, of `total` (the file and a few hundred bytes of framing). */
  onProgress(sent: number, total: number): void;
}

/**
 * Sends the operation with the file. Resolves to the HTTP status and the JSON answer, or to `null` when
 * no answer came (the connection failed or was cut): the upload may or may not have been filed then,
 * so send it again with the same `idempotencyKey`.
 */
export function postMultipart<Data, Input>(request: MultipartRequest<Data, Input>): Promise<{ status: number; answer: GraphQLAnswer<Data> | null } | null> {
  const form = new FormData();
  const operations = {
    query: stringifyDocument(request.document),
    variables: { input: { ...request.input, file: null } },
  };
  form.append('operations', JSON.stringify(operations));
  form.append('map', JSON.stringify({ '0': ['variables.input.file'] }));
  form.append('0', request.file, request.file.name);

  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    xhr.setRequestHeader('authorization', `Bearer ${request.token}`);
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.setRequestHeader('accept', 'application/graphql-response+json, application/json');
    xhr.responseType = 'text';
    // Listening on `xhr.upload` is what makes the browser report the body's progress.
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) request.onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => resolve({ status: xhr.status, answer: parseAnswer<Data>(xhr.responseText) }));
    for (const failure of ['error', 'timeout', 'abort'] as const) xhr.addEventListener(failure, () => resolve(null));
    xhr.send(form);
  });
}

/** The JSON answer, or null when the body is not one (a proxy's error page, say). */
function parseAnswer<Data>(text: string): GraphQLAnswer<Data> | null {
  try {
    const answer = JSON.parse(text) as unknown;
    return typeof answer === 'object' && answer !== null ? (answer as GraphQLAnswer<Data>) : null;
  } catch {
    return null;
  }
}
