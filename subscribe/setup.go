package subscribe

import (
	"context"
	"errors"
	"flag"
	"log/slog"

	"github.com/pmvspo/site/metrics"
	"github.com/pmvspo/site/subscribe/store"
)

// Options are the newsletter's settings from the command line and the
// environment.
type Options struct {
	DataDir     string // -data DIR / DATA_DIR, default "data": the SQLite file and the outbox
	DatabaseURL string // DATABASE_URL: PostgreSQL instead of SQLite
	SMTPURL     string // SMTP_URL: smtp://user:pass@host:587 (STARTTLS) or smtps://…; empty writes .eml files
	MailFrom    string // MAIL_FROM: "Role Compass <news@example.com>"
	Logger      *slog.Logger
	Metrics     metrics.Queue // failed deliveries and emails sent; nil counts nothing
}

// Flags registers -data on fs and reads DATA_DIR, DATABASE_URL, SMTP_URL
// and MAIL_FROM through getenv. The returned options are filled in when
// fs is parsed.
func Flags(fs *flag.FlagSet, getenv func(string) string) *Options {
	o := &Options{DatabaseURL: getenv("DATABASE_URL"), SMTPURL: getenv("SMTP_URL"), MailFrom: getenv("MAIL_FROM")}
	def := getenv("DATA_DIR")
	if def == "" {
		def = "data"
	}
	fs.StringVar(&o.DataDir, "data", def, "data folder for subscribers (SQLite) and, without SMTP_URL, emails as .eml files in its outbox/ (env DATA_DIR)")
	return o
}

// Open opens (and migrates) the database and builds the feature. Pass its
// Routes in server.Options.Features, call Start once the server exists and
// Close after the HTTP server has shut down.
func Open(ctx context.Context, o Options) (*Feature, error) {
	sender, err := NewSender(o.SMTPURL, o.MailFrom, o.DataDir, o.Logger)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{DataDir: o.DataDir, DatabaseURL: o.DatabaseURL})
	if err != nil {
		return nil, err
	}
	f, err := New(Config{DB: db, Sender: sender, Logger: o.Logger, Metrics: o.Metrics})
	if err != nil {
		db.Close()
		return nil, err
	}
	return f, nil
}

// Close stops the worker, letting deliveries in progress finish within
// ctx (the rest are delivered after the next start), and closes the database.
func (f *Feature) Close(ctx context.Context) error {
	return errors.Join(f.Stop(ctx), f.db.Close())
}
