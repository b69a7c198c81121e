-- Subscribers and their tokens. The same statements run on SQLite and
-- PostgreSQL: identifiers are random text, times are Unix seconds (UTC).
-- Only what the newsletter needs is stored: the address, its status, when
-- things happened, which consent text was agreed to and on which guide.
CREATE TABLE subscribers (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    consent_version      TEXT NOT NULL,
    source               TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    confirmed_at         BIGINT,
    unsubscribed_at      BIGINT,
    last_weekly_at       BIGINT,
    -- the per-address limit on confirmation emails: how many were sent in
    -- the day that started at confirm_window_start
    confirm_window_start BIGINT NOT NULL DEFAULT 0,
    confirm_sent         INTEGER NOT NULL DEFAULT 0
);

-- Tokens are stored only as SHA-256 hashes; the token itself exists only in
-- the email that carries it.
CREATE TABLE tokens (
    hash          TEXT PRIMARY KEY,
    subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);
CREATE INDEX tokens_subscriber ON tokens (subscriber_id);

-- One row per weekly run: the primary key is the ISO week, so however many
-- replicas try, only one run claims each week.
CREATE TABLE weekly_runs (
    period     TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    emails     INTEGER NOT NULL DEFAULT 0
);
