package subscribe

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pmvspo/site/subscribe/store"
)

// Export writes every subscriber as CSV to w: address, status (pending,
// confirmed or unsubscribed) and times.
func Export(ctx context.Context, db *store.DB, w io.Writer) error { return db.Export(ctx, w) }

// Delete erases a person: the row, the tokens and any email still queued
// for them. It reports whether the address was known. The address is
// normalised as the form does, so "Ada@Example.com" finds ada@example.com.
func Delete(ctx context.Context, db *store.DB, email string) (bool, error) {
	addr, err := NormalizeAddress(email)
	if err != nil {
		return false, err
	}
	return db.Delete(ctx, addr)
}

// Command runs "site subscribers export" and "site subscribers delete
// EMAIL" with the server's -data flag and DATA_DIR / DATABASE_URL, and
// returns the exit code.
func Command(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("site subscribers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := getenv("DATA_DIR")
	if dataDir == "" {
		dataDir = "data"
	}
	fs.StringVar(&dataDir, "data", dataDir, "data folder holding the SQLite database (env DATA_DIR); ignored when DATABASE_URL is set")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: site subscribers [-data DIR] export          CSV of every subscriber to standard output")
		fmt.Fprintln(stderr, "       site subscribers [-data DIR] delete EMAIL    erase one person")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	run := func(fn func(*store.DB) error) int {
		db, err := store.Open(ctx, store.Options{DataDir: dataDir, DatabaseURL: getenv("DATABASE_URL")})
		if err != nil {
			fmt.Fprintln(stderr, "site subscribers:", err)
			return 1
		}
		defer db.Close()
		if err := fn(db); err != nil {
			fmt.Fprintln(stderr, "site subscribers:", err)
			return 1
		}
		return 0
	}
	switch fs.Arg(0) {
	case "export":
		if fs.NArg() != 1 {
			fs.Usage()
			return 2
		}
		return run(func(db *store.DB) error { return Export(ctx, db, stdout) })
	case "delete":
		if fs.NArg() != 2 {
			fs.Usage()
			return 2
		}
		return run(func(db *store.DB) error {
			found, err := Delete(ctx, db, fs.Arg(1))
			if err != nil {
				return err
			}
			if !found {
				return errors.New("no subscriber with that address")
			}
			fmt.Fprintln(stdout, "erased", fs.Arg(1))
			return nil
		})
	default:
		fmt.Fprintf(stderr, "site subscribers: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
}
