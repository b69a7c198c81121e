package store

import (
	"context"
	"fmt"
	"time"
)

// WeekKey names the ISO week t falls in, such as 2026-W49: the period of
// the weekly email.
func WeekKey(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ClaimWeek records that the weekly email of a period is being sent. Only
// the first caller for a period, across every replica, gets true: the
// period is the table's primary key. The claim commits with the emails the
// caller queues in the same transaction, or not at all.
func (tx *Tx) ClaimWeek(ctx context.Context, period string, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO weekly_runs (period, started_at) VALUES (?, ?) ON CONFLICT (period) DO NOTHING`,
		period, now.Unix())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountWeeklyEmails stores how many emails a claimed period sent.
func (tx *Tx) CountWeeklyEmails(ctx context.Context, period string, n int) error {
	_, err := tx.exec(ctx, `UPDATE weekly_runs SET emails = ? WHERE period = ?`, n, period)
	return err
}

// ConfirmedSubscribers lists everyone who gets the weekly email.
func (tx *Tx) ConfirmedSubscribers(ctx context.Context) ([]Subscriber, error) {
	rows, err := tx.query(ctx, `SELECT `+subscriberCols+` FROM subscribers WHERE status = 'confirmed' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Subscriber
	for rows.Next() {
		s, err := scanSubscriber(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MarkWeeklySent records when a subscriber's last weekly email was queued:
// the next one lists only what changed after it.
func (tx *Tx) MarkWeeklySent(ctx context.Context, id string, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE subscribers SET last_weekly_at = ? WHERE id = ?`, now.Unix(), id)
	return err
}
