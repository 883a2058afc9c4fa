import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import type { EncryptionKey } from './store/crypto.js';
import type { DownloadLinkStore } from './store/types.js';

/**
 * `Document.downloadUrl`: a link to this service that a browser follows without an Authorization
 * header, so the link itself is the credential. Who could use it is the threat: the link lands in
 * browser history, proxy logs and chat windows, so it is short-lived (`DOWNLOAD_LINK_TTL_SECONDS`),
 * serves one download (its random `jti` is recorded as used in the token store, across instances),
 * and is bound to what it was made for: the app user (`sub`), the document (`doc`, compared with the
 * path) and the iManage account the user was connected to (`conn`, a digest, so the URL names no
 * iManage user). It carries no iManage token and nothing an iManage call could use.
 *
 * The link is a compact JWS, HS256, under a key derived (HKDF-SHA256) from each configured
 * `TOKEN_ENCRYPTION_KEY`, so that every instance behind a load balancer verifies what another signed;
 * the newest key signs and names itself in `kid`, and any configured key verifies (a rotation in
 * progress breaks no link). The key is used for nothing else, and `typ` and `aud` say what the token is.
 */

/** Why a link is refused. `expired` and `used` are worth telling apart for the user; the rest is "not yours". */
export type DownloadLinkRefusal = 'malformed' | 'bad_signature' | 'expired' | 'wrong_document' | 'used';

export class DownloadLinkRefusedError extends Error {
  constructor(readonly reason: DownloadLinkRefusal) {
    super(`download link refused: ${reason}`);
  }
}

/** A verified link: what it was made for. */
export interface DownloadLink {
  readonly jti: string;
  readonly appUserId: string;
  readonly documentId: string;
  /** Digest of the connection's id (app user, iManage customer and user) when the link was made. */
  readonly connection: string;
  readonly expiresAt: Date;
}

export interface DownloadLinksOptions {
  /** `TOKEN_ENCRYPTION_KEY`'s keys: the first signs, all verify. */
  keys: readonly EncryptionKey[];
  /** `PUBLIC_URL`: where the browser sends the link. */
  publicUrl: string;
  ttlSeconds: number;
  store: DownloadLinkStore;
  /** Epoch ms (tests move it instead of sleeping). */
  now?: () => number;
}

const TYPE = 'imanage-download+jwt';
const AUDIENCE = 'imanage-graphql/download';
/** Instances' clocks may differ this much. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longer than any link this service makes: anything past it was not made here. */
const MAX_TOKEN_LENGTH = 4_096;

export class DownloadLinks {
  private readonly signing: { id: string; key: Uint8Array };
  private readonly verifying: ReadonlyMap<string, Uint8Array>;
  private readonly now: () => number;

  constructor(private readonly options: DownloadLinksOptions) {
    const derived = options.keys.map((k) => ({ id: k.id, key: new Uint8Array(hkdfSync('sha256', k.key, 'imanage-graphql', 'download-link', 32)) }));
    if (derived.length === 0) throw new Error('download links need at least one key');
    this.signing = derived[0]!;
    this.verifying = new Map(derived.map((k) => [k.id, k.key]));
    this.now = options.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /** `${PUBLIC_URL}/documents/{id}/download?link=…` for this user, their current connection and this document. */
  async urlFor(appUserId: string, connectionId: string, documentId: string): Promise<string> {
    const link = await this.sign(appUserId, connectionId, documentId);
    return `${this.options.publicUrl}/documents/${encodeURIComponent(documentId)}/download?link=${link}`;
  }

  /** The link's token alone (what `urlFor` puts in `link=`). */
  async sign(appUserId: string, connectionId: string, documentId: string): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({ doc: documentId, conn: connectionDigest(connectionId) })
      .setProtectedHeader({ alg: 'HS256', typ: TYPE, kid: this.signing.id })
      .setSubject(appUserId)
      .setAudience(AUDIENCE)
      .setJti(randomBytes(18).toString('base64url'))
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .sign(this.signing.key);
  }

  /**
   * The link `token` is, if it was made here, is unexpired and names `documentId` (the path's,
   * compared exactly). Whether it was used is asked separately (`use`, `isUsed`).
   */
  async verify(token: string, documentId: string): Promise<DownloadLink> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new DownloadLinkRefusedError('malformed');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, (header: JWTHeaderParameters) => this.keyFor(header), {
        algorithms: ['HS256'],
        typ: TYPE,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        currentDate: new Date(this.now()),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      // jose checks the signature before the claims: an expired link was made here.
      if (error instanceof joseErrors.JWTExpired) throw new DownloadLinkRefusedError('expired');
      if (error instanceof DownloadLinkRefusedError) throw error;
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new DownloadLinkRefusedError('bad_signature');
      throw new DownloadLinkRefusedError('malformed');
    }
    const { sub, jti, exp, doc, conn } = payload;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof doc !== 'string' || typeof conn !== 'string' || typeof exp !== 'number') {
      throw new DownloadLinkRefusedError('malformed');
    }
    if (doc !== documentId) throw new DownloadLinkRefusedError('wrong_document');
    return { jti, appUserId: sub, documentId: doc, connection: conn, expiresAt: new Date(exp * 1000) };
  }

  /** Whether `connectionId` is the connection the link was made for (the user has not relinked another iManage account). */
  madeFor(link: DownloadLink, connectionId: string): boolean {
    return link.connection === connectionDigest(connectionId);
  }

  /** Records the link as used: true for its first use only (of concurrent uses, exactly one). */
  use(link: DownloadLink): Promise<boolean> {
    // Kept past `exp` by the clock tolerance, so that no instance still accepts it once it is purged.
    return this.options.store.use({
      jti: link.jti,
      appUserId: link.appUserId,
      expiresAt: new Date(link.expiresAt.getTime() + 2 * CLOCK_TOLERANCE_SECONDS * 1000),
    });
  }

  isUsed(link: DownloadLink): Promise<boolean> {
    return this.options.store.isUsed(link.jti);
  }

  /** Forgets a use that delivered nothing (iManage failed before the first byte), so the link may be tried again. */
  release(link: DownloadLink): Promise<void> {
    return this.options.store.release(link.jti);
  }

  private keyFor(header: JWTHeaderParameters): Uint8Array {
    const key = header.kid === undefined ? undefined : this.verifying.get(header.kid);
    if (!key) throw new DownloadLinkRefusedError('bad_signature');
    return key;
  }
}

/** The connection's id as the link carries it: it names the iManage customer and user, which a URL should not show. */
function connectionDigest(connectionId: string): string {
  return createHash('sha256').update(`download-link-connection:${connectionId}`).digest('base64url').slice(0, 22);
}
