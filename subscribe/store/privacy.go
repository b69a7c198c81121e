package store

import (
	"context"
	"encoding/csv"
	"io"
	"time"
)

// Export writes every subscriber as CSV: address, status and times (RFC 3339,
// UTC; empty when it has not happened). It is what an operator hands a
// person who asks what is stored about them, or moves to another tool.
func (db *DB) Export(ctx context.Context, w io.Writer) error {
	return db.Tx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+subscriberCols+` FROM subscribers ORDER BY created_at, email`)
		if err != nil {
			return err
		}
		defer rows.Close()
		cw := csv.NewWriter(w)
		cw.Write([]string{"email", "status", "created_at", "confirmed_at", "unsubscribed_at", "last_email_at", "consent_version", "source"})
		for rows.Next() {
			s, err := scanSubscriber(rows)
			if err != nil {
				return err
			}
			cw.Write([]string{s.Email, string(s.Status), stamp(s.CreatedAt), stamp(s.ConfirmedAt), stamp(s.UnsubscribedAt),
				stamp(s.LastWeeklyAt), s.ConsentVersion, s.Source})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Delete erases a person: their row, their tokens and every email still
// queued for them. It reports whether the address was known.
func (db *DB) Delete(ctx context.Context, email string) (bool, error) {
	found := false
	err := db.Tx(ctx, func(tx *Tx) error {
		s, err := tx.SubscriberByEmail(ctx, email)
		if err != nil {
			if isNoRows(err) {
				return nil
			}
			return err
		}
		found = true
		if _, err := tx.exec(ctx, `DELETE FROM tokens WHERE subscriber_id = ?`, s.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM subscribers WHERE id = ?`, s.ID); err != nil {
			return err
		}
		// Queued emails hold the address in their arguments; the job table
		// is River's, read through each database's JSON functions.
		q := `DELETE FROM river_job WHERE kind = 'subscribe_email' AND json_extract(args, '$.subscriber_id') = ?`
		if tx.dialect == Postgres {
			q = `DELETE FROM river_job WHERE kind = 'subscribe_email' AND args->>'subscriber_id' = ?`
		}
		_, err = tx.exec(ctx, q, s.ID)
		return err
	})
	return found, err
}
