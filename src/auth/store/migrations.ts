/**
 * Versioned schema migrations, one entry per version for both databases side by side so they stay in
 * step. Append only: never edit a migration that has shipped; add the next version instead. Each runs
 * in its own transaction and is recorded in `schema_migrations (version, name, applied_at)`.
 *
 * Secrets live only in the `*_enc` columns, as `TokenCipher` envelopes. SQLite keeps times as epoch
 * milliseconds (INTEGER) and scopes as a JSON array; PostgreSQL uses timestamptz and text[].
 */

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  /** `table(name)` returns the (schema-qualified, quoted) table name. */
  postgres: (table: (name: string) => string) => string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections, oauth states and idempotency keys',
    sqlite: `
      CREATE TABLE imanage_connections (
        app_user_id             TEXT    PRIMARY KEY,
        imanage_user_id         TEXT    NOT NULL,
        customer_id             TEXT    NOT NULL,
        preferred_library       TEXT,
        host_url                TEXT    NOT NULL,
        api_base_url            TEXT    NOT NULL,
        scopes                  TEXT    NOT NULL,
        access_token_enc        TEXT    NOT NULL,
        access_token_expires_at INTEGER NOT NULL,
        refresh_token_enc       TEXT,
        status                  TEXT    NOT NULL CHECK (status IN ('connected', 'reauth_required')),
        version                 INTEGER NOT NULL CHECK (version > 0),
        created_at              INTEGER NOT NULL,
        updated_at              INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE oauth_states (
        id                TEXT    PRIMARY KEY,
        app_user_id       TEXT    NOT NULL,
        code_verifier_enc TEXT    NOT NULL,
        return_to         TEXT    NOT NULL,
        expires_at        INTEGER NOT NULL,
        created_at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);

      CREATE TABLE idempotency_keys (
        app_user_id  TEXT    NOT NULL,
        key          TEXT    NOT NULL,
        request_hash TEXT    NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('pending', 'done')),
        response     TEXT,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        PRIMARY KEY (app_user_id, key)
      ) STRICT;
      CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
    `,
    postgres: (table) => `
      CREATE TABLE ${table('imanage_connections')} (
        app_user_id             text        PRIMARY KEY,
        imanage_user_id         text        NOT NULL,
        customer_id             text        NOT NULL,
        preferred_library       text,
        host_url                text        NOT NULL,
        api_base_url            text        NOT NULL,
        scopes                  text[]      NOT NULL,
        access_token_enc        text        NOT NULL,
        access_token_expires_at timestamptz NOT NULL,
        refresh_token_enc       text,
        status                  text        NOT NULL CHECK (status IN ('connected', 'reauth_required')),
        version                 integer     NOT NULL CHECK (version > 0),
        created_at              timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL
      );

      CREATE TABLE ${table('oauth_states')} (
        id                text        PRIMARY KEY,
        app_user_id       text        NOT NULL,
        code_verifier_enc text        NOT NULL,
        return_to         text        NOT NULL,
        expires_at        timestamptz NOT NULL,
        created_at        timestamptz NOT NULL
      );
      CREATE INDEX oauth_states_expires_at ON ${table('oauth_states')} (expires_at);

      CREATE TABLE ${table('idempotency_keys')} (
        app_user_id  text        NOT NULL,
        key          text        NOT NULL,
        request_hash text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'done')),
        response     text,
        created_at   timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        PRIMARY KEY (app_user_id, key)
      );
      CREATE INDEX idempotency_keys_expires_at ON ${table('idempotency_keys')} (expires_at);
    `,
  },
  {
    version: 2,
    name: 'notify on every change of a connection',
    // One process owns a SQLite file and sees its own writes: nothing to tell anyone.
    sqlite: '',
    // Every instance LISTENs on `imanage_connections` and forgets a row it remembers when the payload
    // says it changed (a cache of rows, gone since migration 4): "<version> <app user id>", version 0 for a
    // deletion. A trigger, so that every write notifies, whoever makes it; the notification goes
    // out when the write commits.
    postgres: (table) => `
      CREATE FUNCTION ${table('imanage_connections_notify')}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('imanage_connections', '0 ' || OLD.app_user_id);
        ELSE
          PERFORM pg_notify('imanage_connections', NEW.version || ' ' || NEW.app_user_id);
        END IF;
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER imanage_connections_notify AFTER INSERT OR UPDATE OR DELETE ON ${table('imanage_connections')}
        FOR EACH ROW EXECUTE FUNCTION ${table('imanage_connections_notify')}();
    `,
  },
  {
    version: 3,
    name: 'connect tickets, pending links, per-user caps, idempotency keys per iManage identity',
    // Tickets and pending links are CONTRACT §4's confirmed connect flow. The user's oldest ticket,
    // state or link beyond the cap is the one dropped: SQLite orders by rowid (always above every row
    // present when inserted), PostgreSQL by an identity column. Idempotency keys gain the iManage
    // identity they were used with; existing keys are given their user's current connection's (keys
    // of users without one can never be replayed, and go).
    sqlite: `
      CREATE TABLE connect_tickets (
        id          TEXT    PRIMARY KEY,
        app_user_id TEXT    NOT NULL,
        return_to   TEXT    NOT NULL,
        expires_at  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX connect_tickets_user ON connect_tickets (app_user_id);
      CREATE INDEX connect_tickets_expires_at ON connect_tickets (expires_at);

      CREATE INDEX oauth_states_user ON oauth_states (app_user_id);

      CREATE TABLE pending_links (
        id                      TEXT    PRIMARY KEY,
        app_user_id             TEXT    NOT NULL,
        imanage_user_id         TEXT    NOT NULL,
        customer_id             TEXT    NOT NULL,
        preferred_library       TEXT,
        host_url                TEXT    NOT NULL,
        api_base_url            TEXT    NOT NULL,
        scopes                  TEXT    NOT NULL,
        access_token_enc        TEXT    NOT NULL,
        access_token_expires_at INTEGER NOT NULL,
        refresh_token_enc       TEXT,
        expires_at              INTEGER NOT NULL,
        created_at              INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX pending_links_user ON pending_links (app_user_id);
      CREATE INDEX pending_links_expires_at ON pending_links (expires_at);

      CREATE TABLE idempotency_keys_v3 (
        app_user_id     TEXT    NOT NULL,
        customer_id     TEXT    NOT NULL,
        imanage_user_id TEXT    NOT NULL,
        key             TEXT    NOT NULL,
        request_hash    TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'done')),
        response        TEXT,
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL,
        PRIMARY KEY (app_user_id, customer_id, imanage_user_id, key)
      ) STRICT;
      INSERT INTO idempotency_keys_v3
        SELECT k.app_user_id, c.customer_id, c.imanage_user_id, k.key, k.request_hash, k.status, k.response, k.created_at, k.expires_at
        FROM idempotency_keys k JOIN imanage_connections c ON c.app_user_id = k.app_user_id;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_keys_v3 RENAME TO idempotency_keys;
      CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
    `,
    postgres: (table) => `
      CREATE TABLE ${table('connect_tickets')} (
        id          text        PRIMARY KEY,
        app_user_id text        NOT NULL,
        return_to   text        NOT NULL,
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL,
        seq         bigint      GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX connect_tickets_user ON ${table('connect_tickets')} (app_user_id, seq);
      CREATE INDEX connect_tickets_expires_at ON ${table('connect_tickets')} (expires_at);

      ALTER TABLE ${table('oauth_states')} ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
      CREATE INDEX oauth_states_user ON ${table('oauth_states')} (app_user_id, seq);

      CREATE TABLE ${table('pending_links')} (
        id                      text        PRIMARY KEY,
        app_user_id             text        NOT NULL,
        imanage_user_id         text        NOT NULL,
        customer_id             text        NOT NULL,
        preferred_library       text,
        host_url                text        NOT NULL,
        api_base_url            text        NOT NULL,
        scopes                  text[]      NOT NULL,
        access_token_enc        text        NOT NULL,
        access_token_expires_at timestamptz NOT NULL,
        refresh_token_enc       text,
        expires_at              timestamptz NOT NULL,
        created_at              timestamptz NOT NULL,
        seq                     bigint      GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX pending_links_user ON ${table('pending_links')} (app_user_id, seq);
      CREATE INDEX pending_links_expires_at ON ${table('pending_links')} (expires_at);

      ALTER TABLE ${table('idempotency_keys')} ADD COLUMN customer_id text, ADD COLUMN imanage_user_id text;
      UPDATE ${table('idempotency_keys')} k SET customer_id = c.customer_id, imanage_user_id = c.imanage_user_id
        FROM ${table('imanage_connections')} c WHERE c.app_user_id = k.app_user_id;
      DELETE FROM ${table('idempotency_keys')} WHERE customer_id IS NULL;
      ALTER TABLE ${table('idempotency_keys')}
        ALTER COLUMN customer_id SET NOT NULL,
        ALTER COLUMN imanage_user_id SET NOT NULL,
        DROP CONSTRAINT idempotency_keys_pkey,
        ADD PRIMARY KEY (app_user_id, customer_id, imanage_user_id, key);
    `,
  },
  {
    version: 4,
    name: 'no notification on connection changes',
    sqlite: '',
    // Migration 2's notifications only told instances to forget rows they kept in memory; rows are read
    // from the database on every request now, and nobody listens.
    postgres: (table) => `
      DROP TRIGGER IF EXISTS imanage_connections_notify ON ${table('imanage_connections')};
      DROP FUNCTION IF EXISTS ${table('imanage_connections_notify')}();
    `,
  },
  {
    version: 5,
    name: 'used download links',
    // The `jti` of every download link used (issue 17): the primary key makes a second use, from any
    // instance, fail its insert. A row is kept until its link has expired, then purged.
    sqlite: `
      CREATE TABLE used_download_links (
        jti         TEXT    PRIMARY KEY,
        app_user_id TEXT    NOT NULL,
        used_at     INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX used_download_links_expires_at ON used_download_links (expires_at);
    `,
    postgres: (table) => `
      CREATE TABLE ${table('used_download_links')} (
        jti         text        PRIMARY KEY,
        app_user_id text        NOT NULL,
        used_at     timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX used_download_links_expires_at ON ${table('used_download_links')} (expires_at);
    `,
  },
  {
    version: 6,
    name: 'audit events',
    // The audit trail (issue 19): one row per write that reached iManage. No body, name or token ever
    // has a column here; `target_ids` holds iManage ids only. Rows older than AUDIT_RETENTION_DAYS are
    // purged by `at`; the CLI reads by user and time, oldest first (insertion order within one
    // millisecond: SQLite's rowid, PostgreSQL's identity, as for connect tickets).
    sqlite: `
      CREATE TABLE audit_events (
        id              TEXT    PRIMARY KEY,
        at              INTEGER NOT NULL,
        app_user_id     TEXT    NOT NULL,
        customer_id     TEXT,
        imanage_user_id TEXT,
        kind            TEXT    NOT NULL CHECK (kind IN ('graphql', 'passthrough', 'connect', 'disconnect')),
        operation       TEXT    NOT NULL,
        target_ids      TEXT    NOT NULL,
        outcome         TEXT    NOT NULL CHECK (outcome IN ('ok', 'user_error', 'error', 'refused')),
        imanage_status  INTEGER,
        error_code      TEXT,
        request_id      TEXT
      ) STRICT;
      CREATE INDEX audit_events_at ON audit_events (at);
      CREATE INDEX audit_events_user_at ON audit_events (app_user_id, at);
    `,
    postgres: (table) => `
      CREATE TABLE ${table('audit_events')} (
        id              text        PRIMARY KEY,
        at              timestamptz NOT NULL,
        app_user_id     text        NOT NULL,
        customer_id     text,
        imanage_user_id text,
        kind            text        NOT NULL CHECK (kind IN ('graphql', 'passthrough', 'connect', 'disconnect')),
        operation       text        NOT NULL,
        target_ids      text[]      NOT NULL,
        outcome         text        NOT NULL CHECK (outcome IN ('ok', 'user_error', 'error', 'refused')),
        imanage_status  integer,
        error_code      text,
        request_id      text,
        seq             bigint      GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX audit_events_at ON ${table('audit_events')} (at);
      CREATE INDEX audit_events_user_at ON ${table('audit_events')} (app_user_id, at);
    `,
  },
];
