// Package store keeps the newsletter's subscribers in SQL: SQLite in a data
// folder by default, PostgreSQL when a URL is given. Both run the same
// embedded migrations and the same statements (written with ? placeholders
// and rebound for PostgreSQL), so they behave the same. Every state change
// runs inside a transaction the caller opens with DB.Tx, so the email a change
// causes can be queued in the same transaction (see package queue).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// Dialect names the database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options say where the data lives.
type Options struct {
	// DatabaseURL, when set, is a PostgreSQL URL (postgres://…); the
	// subscribers then live there and several replicas can share them.
	DatabaseURL string
	// DataDir holds the SQLite file when DatabaseURL is empty. It is created
	// if missing.
	DataDir string
}

// SQLiteFile is the database's file name inside the data folder.
const SQLiteFile = "site.db"

// DB is an open, migrated database.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect
}

// Open connects and runs every migration that has not run yet.
func Open(ctx context.Context, o Options) (*DB, error) {
	db, err := open(o)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.SQL.Close()
		return nil, err
	}
	return db, nil
}

func open(o Options) (*DB, error) {
	if o.DatabaseURL != "" {
		if !strings.HasPrefix(o.DatabaseURL, "postgres://") && !strings.HasPrefix(o.DatabaseURL, "postgresql://") {
			return nil, errors.New("DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/site")
		}
		sqldb, err := sql.Open("pgx", o.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		sqldb.SetMaxOpenConns(20)
		return &DB{SQL: sqldb, Dialect: Postgres}, nil
	}
	dir := o.DataDir
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating the data folder: %w", err)
	}
	// WAL lets readers in other processes (site subscribers export) work
	// while the server writes; busy_timeout makes such a second process wait
	// instead of failing; immediate transactions take the write lock up
	// front, so a transaction never fails half-way on a lock upgrade.
	dsn := "file:" + filepath.ToSlash(filepath.Join(dir, SQLiteFile)) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// SQLite has one writer. One connection makes every statement of this
	// process queue in Go instead of failing with "database is locked";
	// River's SQLite driver asks for the same.
	sqldb.SetMaxOpenConns(1)
	return &DB{SQL: sqldb, Dialect: SQLite}, nil
}

// Close closes the connections.
func (db *DB) Close() error { return db.SQL.Close() }

// RiverDriver is the job queue's driver for this database. Both drivers use
// database/sql, so one *sql.Tx serves the store and the queue.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if db.Dialect == Postgres {
		return riverdatabasesql.New(db.SQL)
	}
	return riversqlite.New(db.SQL)
}

// Tx runs fn in a transaction and commits it if fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	sqltx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqltx, dialect: db.Dialect}
	if err := fn(tx); err != nil {
		sqltx.Rollback()
		return err
	}
	return sqltx.Commit()
}

// Tx is a transaction that knows its dialect.
type Tx struct {
	*sql.Tx
	dialect Dialect
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, rebind(tx.dialect, q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, rebind(tx.dialect, q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, rebind(tx.dialect, q), args...)
}

// rebind turns ? placeholders into PostgreSQL's $1, $2, … The statements
// here never hold a literal question mark.
func rebind(d Dialect, q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrate runs River's migrations and then ours. On PostgreSQL an advisory
// lock makes replicas that start together take turns.
func (db *DB) migrate(ctx context.Context) error {
	if db.Dialect == Postgres {
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			return fmt.Errorf("connecting to the database: %w", err)
		}
		defer conn.Close()
		const lockKey = 7342019 // any constant shared by every replica
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
			return fmt.Errorf("connecting to the database: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey)
	}
	m, err := rivermigrate.New(db.RiverDriver(), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating the job queue's tables: %w", err)
	}
	return db.migrateOwn(ctx)
}
