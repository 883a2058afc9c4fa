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
    // says it changed (PostgresTokenStore.getRemembered): "<version> <app user id>", version 0 for a
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
];
