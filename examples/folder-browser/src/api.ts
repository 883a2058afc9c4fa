import { Client, fetchExchange, type AnyVariables, type CombinedError, type TypedDocumentNode } from '@urql/core';
import {
  ConfirmIManageConnectionDocument,
  StartIManageConnectionDocument,
  UploadDocumentDocument,
  type ConfirmIManageConnectionMutation,
  type UploadDocumentInput,
  type UploadDocumentMutation,
} from './gql/graphql.js';
import { postMultipart, type GraphQLAnswer } from './upload.js';

/**
 * Talking to the GraphQL facade. The app user token comes from this app's own backend (`server.ts`),
 * which signs it for whoever is signed in, as your app's backend would; the frontend only keeps it in
 * memory and sends it as `Authorization: Bearer …`.
 */

/** What `/api/session` answers. */
interface Session {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  graphqlUrl: string;
  user: string;
  loginHint: string | null;
}

/** The error codes of CONTRACT §6, and what this app does with each (see `ApiError`). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'IMANAGE_NOT_CONNECTED'
  | 'IMANAGE_REAUTH_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'COST_LIMIT_EXCEEDED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL'
  | 'NETWORK';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds to wait, for `RATE_LIMITED`. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** The user must (re)connect iManage: show the connect button. */
  get needsConnect(): boolean {
    return this.code === 'IMANAGE_NOT_CONNECTED' || this.code === 'IMANAGE_REAUTH_REQUIRED';
  }
}

/** Renew the app token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

export class Api {
  private readonly client: Client;

  private constructor(private session: Session) {
    this.client = new Client({
      url: session.graphqlUrl,
      // No cache: the tree keeps what it loaded, and a created folder must show at once.
      exchanges: [fetchExchange],
      requestPolicy: 'network-only',
      // The facade refuses GET without its CSRF header; POST with JSON is what it expects.
      preferGetMethod: false,
      fetchOptions: () => ({ headers: { authorization: `Bearer ${this.session.token}` } }),
    });
  }

  static async start(): Promise<Api> {
    return new Api(await fetchSession());
  }

  get user(): string {
    return this.session.user;
  }

  get loginHint(): string | null {
    return this.session.loginHint;
  }

  /**
   * Where to send the browser to (re)connect iManage, coming back to this page: a single-use ticket
   * URL from `startIManageConnection`. The app token never goes into a URL.
   */
  async connectUrl(): Promise<string> {
    const { startIManageConnection } = await this.mutate(StartIManageConnectionDocument, { returnTo: `${location.origin}/` });
    return startIManageConnection.url;
  }

  /** Back from iManage with `?imanage=pending&link=…`: makes the link this user's connection. */
  async confirmConnection(link: string): Promise<ConfirmIManageConnectionMutation['confirmIManageConnection']> {
    return (await this.mutate(ConfirmIManageConnectionDocument, { link })).confirmIManageConnection;
  }

  /** Runs a query; resolves to its data or throws an ApiError. Retries once with a new token. */
  async query<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
    return this.run(async () => fromUrql(await this.client.query(document, variables).toPromise()));
  }

  async mutate<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
    return this.run(async () => fromUrql(await this.client.mutation(document, variables).toPromise()));
  }

  /**
   * `uploadDocument` with the file's bytes: a multipart request over XMLHttpRequest (upload.ts), so that
   * `onProgress` hears how much has been sent, with the same token renewal and error codes as `mutate`.
   * A NETWORK error means no answer came: the document may have been filed, so send it again with the
   * same `idempotencyKey`.
   */
  async uploadDocument(
    input: Omit<UploadDocumentInput, 'file'>,
    file: File,
    onProgress: (sent: number, total: number) => void,
  ): Promise<UploadDocumentMutation['uploadDocument']> {
    const send = async () => {
      const request = { url: this.session.graphqlUrl, token: this.session.token, document: UploadDocumentDocument, input, file, onProgress };
      return fromAnswer(await postMultipart(request));
    };
    return (await this.run(send)).uploadDocument;
  }

  private async run<Data>(send: () => Promise<{ data: Data | null; error: ApiError | null }>): Promise<Data> {
    for (let attempt = 0; ; attempt++) {
      if (this.session.expiresAt - Date.now() < RENEW_BEFORE_MS) this.session = await fetchSession();
      const result = await send();
      const error = result.error;
      // An expired or rejected app token: ask the backend for a new one, once.
      if (error?.code === 'UNAUTHENTICATED' && attempt === 0) {
        this.session = await fetchSession();
        continue;
      }
      if (error) throw error;
      if (!result.data) throw new ApiError('INTERNAL', 'The answer had no data.');
      return result.data;
    }
  }
}

async function fetchSession(): Promise<Session> {
  const response = await fetch('/api/session', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new ApiError('UNAUTHENTICATED', `This app's backend gave no app token (${response.status}).`);
  return (await response.json()) as Session;
}

/** urql's result: its data, and the first GraphQL error's `extensions.code`, or NETWORK when the request itself failed. */
function fromUrql<Data>(result: { data?: Data | undefined; error?: CombinedError | undefined }): { data: Data | null; error: ApiError | null } {
  const first = result.error?.graphQLErrors[0];
  const error = !result.error ? null : first ? toApiError(first) : new ApiError('NETWORK', 'The GraphQL server could not be reached.');
  return { data: result.data ?? null, error };
}

/** A multipart request's answer (upload.ts), read the same way; no answer at all is NETWORK. */
function fromAnswer<Data>(result: { status: number; answer: GraphQLAnswer<Data> | null } | null): { data: Data | null; error: ApiError | null } {
  if (!result) return { data: null, error: new ApiError('NETWORK', 'The connection failed before the answer came.') };
  const first = result.answer?.errors?.[0];
  if (first) return { data: result.answer?.data ?? null, error: toApiError({ message: first.message, extensions: first.extensions ?? {} }) };
  if (!result.answer) return { data: null, error: new ApiError('NETWORK', `The server answered HTTP ${result.status} without a GraphQL answer.`) };
  return { data: result.answer.data ?? null, error: null };
}

function toApiError(first: { message: string; extensions: Record<string, unknown> }): ApiError {
  const code = typeof first.extensions.code === 'string' ? (first.extensions.code as ErrorCode) : 'INTERNAL';
  const retryAfter = typeof first.extensions.retryAfter === 'number' ? first.extensions.retryAfter : null;
  return new ApiError(code, first.message, retryAfter);
}

/** A sentence for the user, per error code: what happened and what they can do. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'IMANAGE_NOT_CONNECTED':
      return 'Connect your iManage account to see your matters.';
    case 'IMANAGE_REAUTH_REQUIRED':
      return 'iManage needs you to sign in again.';
    case 'FORBIDDEN':
      return 'iManage does not allow you to do this here.';
    case 'NOT_FOUND':
      return 'This is gone, or you no longer have access to it. Reload to see the current tree.';
    case 'RATE_LIMITED':
      return `iManage is busy. Try again in ${error.retryAfter ?? 'a few'} seconds.`;
    case 'COST_LIMIT_EXCEEDED':
      return 'This asked iManage for too much at once. Open fewer folders at a time.';
    case 'UPSTREAM_UNAVAILABLE':
      return 'iManage is not answering right now. Try again in a moment.';
    case 'NETWORK':
      return 'The server could not be reached. Check your connection and try again.';
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Reload the page to sign in again.';
    default:
      return `Something went wrong (${error.code}). Try again.`;
  }
}
