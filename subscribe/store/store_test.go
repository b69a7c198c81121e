package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pmvspo/site/subscribe/internal/pgtest"
)

var (
	pg       *pgtest.Server
	pgErr    error
	dbNumber atomic.Int64
)

func TestMain(m *testing.M) {
	pg, pgErr = pgtest.Start(18190)
	code := m.Run()
	if pg != nil {
		pg.Close()
	}
	os.Exit(code)
}

// eachDB runs a test on a fresh SQLite database and a fresh PostgreSQL one.
func eachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		db, err := Open(context.Background(), Options{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db := openPG(t)
		fn(t, db)
	})
}

func openPG(t *testing.T) *DB {
	t.Helper()
	if pg == nil {
		if pgtest.Required() {
			t.Fatalf("PostgreSQL is required (POSTGRES_TESTS=required or CI=true) but could not start: %v", pgErr)
		}
		t.Skipf("PostgreSQL tests skipped: %v (set POSTGRES_TESTS=required to make this an error)", pgErr)
	}
	url, err := pg.NewDatabase(fmt.Sprintf("store_%d", dbNumber.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), Options{DatabaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func subscribe(t *testing.T, db *DB, email string, now time.Time) SubscribeResult {
	t.Helper()
	var res SubscribeResult
	err := db.Tx(context.Background(), func(tx *Tx) error {
		var err error
		res, err = tx.Subscribe(context.Background(), SubscribeRequest{Email: email, ConsentVersion: "v1", Source: "pm-vs-po"}, DefaultLimits, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func confirm(db *DB, token string, now time.Time) (Subscriber, bool, error) {
	var s Subscriber
	var changed bool
	err := db.Tx(context.Background(), func(tx *Tx) error {
		var err error
		s, changed, err = tx.Confirm(context.Background(), token, now)
		return err
	})
	return s, changed, err
}

func unsubscribeToken(t *testing.T, db *DB, id string, now time.Time) string {
	t.Helper()
	var tok string
	err := db.Tx(context.Background(), func(tx *Tx) error {
		var err error
		tok, err = tx.NewUnsubscribeToken(context.Background(), id, DefaultLimits, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func unsubscribe(db *DB, token string, now time.Time) (Subscriber, error) {
	var s Subscriber
	err := db.Tx(context.Background(), func(tx *Tx) error {
		var err error
		s, err = tx.Unsubscribe(context.Background(), token, now)
		return err
	})
	return s, err
}

func TestLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		res := subscribe(t, db, "ada@example.com", t0)
		if res.Subscriber.Status != Pending || res.Token == "" {
			t.Fatalf("new address: status %q, token %q; want pending with a token", res.Subscriber.Status, res.Token)
		}
		s, changed, err := confirm(db, res.Token, t0.Add(time.Hour))
		if err != nil || !changed || s.Status != Confirmed || !s.ConfirmedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("confirm: %+v changed=%v err=%v", s, changed, err)
		}
		// Single use.
		if _, _, err := confirm(db, res.Token, t0.Add(2*time.Hour)); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("second use of a confirmation token: err %v, want ErrTokenInvalid", err)
		}
		// Subscribing again while confirmed sends nothing and changes nothing.
		again := subscribe(t, db, "ada@example.com", t0.Add(3*time.Hour))
		if again.Token != "" || again.Subscriber.Status != Confirmed {
			t.Fatalf("confirmed address subscribing again: %+v", again)
		}
		tok := unsubscribeToken(t, db, s.ID, t0.Add(4*time.Hour))
		u, err := unsubscribe(db, tok, t0.Add(5*time.Hour))
		if err != nil || u.Status != Unsubscribed || !u.UnsubscribedAt.Equal(t0.Add(5*time.Hour)) {
			t.Fatalf("unsubscribe: %+v err=%v", u, err)
		}
		// The one-click link used twice is still a success.
		if u, err := unsubscribe(db, tok, t0.Add(6*time.Hour)); err != nil || u.Status != Unsubscribed {
			t.Fatalf("unsubscribe again: %+v err=%v", u, err)
		}
		// Resubscribe: pending again, a new double opt-in.
		re := subscribe(t, db, "ada@example.com", t0.Add(7*time.Hour))
		if re.Subscriber.Status != Pending || re.Token == "" || re.Subscriber.ID != s.ID {
			t.Fatalf("resubscribe: %+v", re)
		}
		s2, changed, err := confirm(db, re.Token, t0.Add(8*time.Hour))
		if err != nil || !changed || s2.Status != Confirmed || !s2.UnsubscribedAt.IsZero() {
			t.Fatalf("confirm after resubscribe: %+v changed=%v err=%v", s2, changed, err)
		}
	})
}

func TestConfirmationExpires(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		res := subscribe(t, db, "late@example.com", t0)
		expired := t0.Add(DefaultLimits.ConfirmTTL)
		var checkErr error
		db.Tx(context.Background(), func(tx *Tx) error {
			_, checkErr = tx.CheckToken(context.Background(), res.Token, "confirm", expired)
			return nil
		})
		if !errors.Is(checkErr, ErrTokenInvalid) {
			t.Errorf("checking an expired token: %v, want ErrTokenInvalid", checkErr)
		}
		if _, _, err := confirm(db, res.Token, expired); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("confirming with an expired token: %v, want ErrTokenInvalid", err)
		}
		// A fresh request gets a fresh link that works.
		res2 := subscribe(t, db, "late@example.com", expired.Add(time.Minute))
		if _, changed, err := confirm(db, res2.Token, expired.Add(2*time.Minute)); err != nil || !changed {
			t.Fatalf("confirming with the new token: changed=%v err=%v", changed, err)
		}
		// Expired tokens are deleted by the clean-up.
		err := db.Tx(context.Background(), func(tx *Tx) error { return tx.DeleteExpiredTokens(context.Background(), expired.Add(time.Hour)) })
		if err != nil {
			t.Fatal(err)
		}
		var n int
		db.SQL.QueryRow("SELECT COUNT(*) FROM tokens WHERE expires_at <= " + fmt.Sprint(expired.Add(time.Hour).Unix())).Scan(&n)
		if n != 0 {
			t.Errorf("%d expired tokens left after clean-up", n)
		}
	})
}

func TestTokensStoredAsHashes(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		res := subscribe(t, db, "hash@example.com", t0)
		var stored string
		if err := db.SQL.QueryRow("SELECT hash FROM tokens").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == res.Token || strings.Contains(stored, res.Token) || len(stored) != 64 {
			t.Fatalf("stored token %q; want the 64-hex-digit SHA-256 of the token, never the token", stored)
		}
		if len(res.Token) < 43 {
			t.Errorf("token %q is shorter than 256 bits in base64", res.Token)
		}
	})
}

func TestConfirmationsPerDayLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		for i := range DefaultLimits.ConfirmationsPerDay {
			if res := subscribe(t, db, "flood@example.com", t0.Add(time.Duration(i)*time.Minute)); res.Token == "" || res.Limited {
				t.Fatalf("request %d within the limit got no confirmation: %+v", i+1, res)
			}
		}
		if res := subscribe(t, db, "flood@example.com", t0.Add(time.Hour)); res.Token != "" || !res.Limited {
			t.Fatalf("request beyond %d a day got a confirmation: %+v", DefaultLimits.ConfirmationsPerDay, res)
		}
		// Another address is not affected.
		if res := subscribe(t, db, "other@example.com", t0.Add(time.Hour)); res.Token == "" {
			t.Fatal("a different address was limited too")
		}
		// A day later the address can ask again.
		if res := subscribe(t, db, "flood@example.com", t0.Add(25*time.Hour)); res.Token == "" {
			t.Fatal("the limit did not reset after a day")
		}
	})
}

func TestUnsubscribeCancelsPendingConfirmation(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		first := subscribe(t, db, "bob@example.com", t0)
		s, _, err := confirm(db, first.Token, t0)
		if err != nil {
			t.Fatal(err)
		}
		tok := unsubscribeToken(t, db, s.ID, t0)
		re := subscribe(t, db, "bob@example.com", t0.Add(time.Minute)) // confirmed: no token
		if re.Token != "" {
			t.Fatal("confirmed address got a confirmation token")
		}
		if _, err := unsubscribe(db, tok, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := unsubscribe(db, "not-a-token", t0); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("unknown unsubscribe token: %v, want ErrTokenInvalid", err)
		}
	})
}

func TestExportAndDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := subscribe(t, db, "pending@example.com", t0)
		b := subscribe(t, db, "confirmed@example.com", t0.Add(time.Minute))
		c := subscribe(t, db, "gone@example.com", t0.Add(2*time.Minute))
		confirm(db, b.Token, t0.Add(3*time.Minute))
		sc, _, _ := confirm(db, c.Token, t0.Add(4*time.Minute))
		unsubscribe(db, unsubscribeToken(t, db, sc.ID, t0), t0.Add(5*time.Minute))
		_ = a

		var buf bytes.Buffer
		if err := db.Export(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		want := map[string]string{"pending@example.com": "pending", "confirmed@example.com": "confirmed", "gone@example.com": "unsubscribed"}
		if len(recs) != 4 || recs[0][0] != "email" || recs[0][1] != "status" {
			t.Fatalf("export has %d rows, header %v:\n%s", len(recs), recs[0], buf.String())
		}
		for _, r := range recs[1:] {
			if want[r[0]] != r[1] {
				t.Errorf("export: %s is %q, want %q", r[0], r[1], want[r[0]])
			}
			if _, err := time.Parse(time.RFC3339, r[2]); err != nil {
				t.Errorf("export: created_at %q of %s is not RFC 3339", r[2], r[0])
			}
		}

		found, err := db.Delete(ctx, "confirmed@example.com")
		if err != nil || !found {
			t.Fatalf("delete: found=%v err=%v", found, err)
		}
		var n int
		db.SQL.QueryRow("SELECT COUNT(*) FROM subscribers WHERE email = 'confirmed@example.com'").Scan(&n)
		if n != 0 {
			t.Error("the deleted address is still stored")
		}
		db.SQL.QueryRow("SELECT COUNT(*) FROM tokens t LEFT JOIN subscribers s ON s.id = t.subscriber_id WHERE s.id IS NULL").Scan(&n)
		if n != 0 {
			t.Errorf("%d tokens of the deleted subscriber remain", n)
		}
		if found, err := db.Delete(ctx, "nobody@example.com"); err != nil || found {
			t.Errorf("deleting an unknown address: found=%v err=%v", found, err)
		}
	})
}

func TestWeekClaimedOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		claims := 0
		for range 3 {
			db.Tx(ctx, func(tx *Tx) error {
				ok, err := tx.ClaimWeek(ctx, WeekKey(t0), t0)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					claims++
				}
				return nil
			})
		}
		if claims != 1 {
			t.Fatalf("week claimed %d times, want once", claims)
		}
		// A claim whose transaction rolls back leaves the week free.
		next := WeekKey(t0.AddDate(0, 0, 7))
		db.Tx(ctx, func(tx *Tx) error {
			tx.ClaimWeek(ctx, next, t0)
			return errors.New("roll back")
		})
		db.Tx(ctx, func(tx *Tx) error {
			ok, err := tx.ClaimWeek(ctx, next, t0)
			if err != nil || !ok {
				t.Errorf("week after a rolled-back claim: ok=%v err=%v", ok, err)
			}
			return nil
		})
	})
}

func TestMigrationsRunOnceAndReopen(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		db, err := Open(context.Background(), Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		db.SQL.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
		ms, _ := loadMigrations()
		if n != len(ms) {
			t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
		}
		db.Close()
	}
	if _, err := os.Stat(dir + "/" + SQLiteFile); err != nil {
		t.Errorf("no database file in the data folder: %v", err)
	}
}

func TestOpenCreatesDataFolder(t *testing.T) {
	dir := t.TempDir() + "/nested/data"
	db, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("data folder not created: %v", err)
	}
}

func TestBadDatabaseURL(t *testing.T) {
	_, err := Open(context.Background(), Options{DatabaseURL: "mysql://x"})
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL URL") {
		t.Fatalf("err = %v, want a message naming PostgreSQL URLs", err)
	}
}
