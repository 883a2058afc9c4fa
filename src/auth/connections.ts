import type { AccessTokenSource } from '../imanage/client.js';
import { discover } from '../imanage/client.js';
import { IManageHttpError } from '../imanage/errors.js';
import type { IManageTransport } from '../imanage/transport.js';
import { requestToken, type TokenSet } from './imanageOAuth.js';

/**
 * An app user's link to their iManage account, as the rest of the service sees it. How tokens are
 * stored and refreshed is the provider's business; resolvers and the client only see this.
 */
export interface UserConnection {
  /** Stable id of this connection: the scope of every cache and loader key. */
  readonly id: string;
  readonly appUserId: string;
  readonly imanageUserId: string;
  readonly customerId: string;
  readonly preferredLibrary: string | null;
  /** The v2 API base from discovery. */
  readonly apiBaseUrl: string;
  readonly scopes: readonly string[];
  readonly tokens: AccessTokenSource;
  /** When the current access token expires unless used or refreshed, if known. */
  expiresAt(): Date | null;
}

export interface ConnectionProvider {
  /** The user's connection, or null when they have not connected iManage. */
  forUser(appUserId: string): Promise<UserConnection | null>;
}

/** Refresh this long before the recorded expiry rather than risk sending a token about to die. */
const REFRESH_AHEAD_MS = 60_000;

export interface PasswordGrantAccount {
  appUserId: string;
  username: string;
  password: string;
}

/**
 * A stopgap for sandbox mode until the OAuth connect flow and the encrypted token store land:
 * connects fixed accounts with iManage's password grant and signs in again when a token is refused.
 * Concurrent callers share one sign-in (single flight).
 */
export class PasswordGrantConnections implements ConnectionProvider {
  private readonly connections = new Map<string, Promise<UserConnection>>();

  constructor(
    private readonly options: {
      transport: IManageTransport;
      hostUrl: string;
      clientId: string;
      clientSecret: string;
      scopes: string[];
      accounts: PasswordGrantAccount[];
    },
  ) {}

  forUser(appUserId: string): Promise<UserConnection | null> {
    const account = this.options.accounts.find((a) => a.appUserId === appUserId);
    if (!account) return Promise.resolve(null);
    let connection = this.connections.get(appUserId);
    if (!connection) {
      connection = this.connect(account);
      this.connections.set(appUserId, connection);
      connection.catch(() => this.connections.delete(appUserId));
    }
    return connection;
  }

  private async connect(account: PasswordGrantAccount): Promise<UserConnection> {
    const { transport, hostUrl, clientId, clientSecret, scopes } = this.options;
    const signIn = () =>
      requestToken(
        transport,
        hostUrl,
        { grant_type: 'password', username: account.username, password: account.password, client_id: clientId, client_secret: clientSecret, scope: scopes.join(' ') },
        scopes,
      );
    let tokens: TokenSet = await signIn();
    let inFlight: Promise<TokenSet> | null = null;
    const renewOnce = () => {
      inFlight ??= signIn().then(
        (fresh) => {
          tokens = fresh;
          inFlight = null;
          return fresh;
        },
        (error: unknown) => {
          inFlight = null;
          throw error;
        },
      );
      return inFlight;
    };
    const identity = await discover(transport, hostUrl, tokens.accessToken);
    return {
      id: `password:${account.appUserId}:${identity.customerId}:${identity.userId}`,
      appUserId: account.appUserId,
      imanageUserId: identity.userId,
      customerId: identity.customerId,
      preferredLibrary: identity.preferredLibrary,
      apiBaseUrl: identity.apiBaseUrl,
      scopes: tokens.scopes,
      expiresAt: () => tokens.expiresAt,
      tokens: {
        current: async () => (tokens.expiresAt.getTime() - Date.now() < REFRESH_AHEAD_MS ? (await renewOnce()).accessToken : tokens.accessToken),
        renew: async (rejected) => {
          if (tokens.accessToken !== rejected) return tokens.accessToken;
          try {
            return (await renewOnce()).accessToken;
          } catch (error) {
            // iManage refusing the credentials themselves means the user must connect again.
            if (error instanceof IManageHttpError && error.status < 500) return null;
            throw error;
          }
        },
      },
    };
  }
}
