package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// Status is where a subscriber is in the double opt-in.
type Status string

const (
	Pending      Status = "pending"
	Confirmed    Status = "confirmed"
	Unsubscribed Status = "unsubscribed"
)

// Subscriber is everything stored about one person.
type Subscriber struct {
	ID             string
	Email          string
	Status         Status
	ConsentVersion string
	Source         string // the slug of the guide they subscribed from
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ConfirmedAt    time.Time // zero until confirmed
	UnsubscribedAt time.Time // zero unless unsubscribed
	LastWeeklyAt   time.Time // zero until the first weekly email
}

// Limits bound what one address can cause.
type Limits struct {
	// ConfirmationsPerDay is how many confirmation emails one address can
	// be sent in 24 hours, so the form cannot flood someone's inbox.
	ConfirmationsPerDay int
	// ConfirmTTL is how long a confirmation link works.
	ConfirmTTL time.Duration
	// UnsubscribeTTL is how long an unsubscribe link in an email works.
	UnsubscribeTTL time.Duration
}

// DefaultLimits are a few confirmations a day, links valid for two days,
// and unsubscribe links valid for a year (RFC 8058 asks for them to keep
// working long after the email was sent).
var DefaultLimits = Limits{ConfirmationsPerDay: 3, ConfirmTTL: 48 * time.Hour, UnsubscribeTTL: 366 * 24 * time.Hour}

// ErrTokenInvalid means a link's token is unknown, expired or already used.
var ErrTokenInvalid = errors.New("the link is not valid: unknown, expired or already used")

// SubscribeRequest is what the form sends once it is valid.
type SubscribeRequest struct {
	Email          string // already normalised
	ConsentVersion string
	Source         string
}

// SubscribeResult says what Subscribe did. Token is the confirmation token
// to email, or empty when no email should go out (already confirmed, or the
// address's daily limit is reached). The reader sees the same page either way.
type SubscribeResult struct {
	Subscriber Subscriber
	Token      string
	Limited    bool
}

const subscriberCols = `id, email, status, consent_version, source, created_at, updated_at, confirmed_at, unsubscribed_at, last_weekly_at`

func scanSubscriber(row interface{ Scan(...any) error }) (Subscriber, error) {
	var s Subscriber
	var created, updated int64
	var confirmed, unsub, weekly sql.NullInt64
	err := row.Scan(&s.ID, &s.Email, &s.Status, &s.ConsentVersion, &s.Source, &created, &updated, &confirmed, &unsub, &weekly)
	s.CreatedAt, s.UpdatedAt = unix(created), unix(updated)
	s.ConfirmedAt, s.UnsubscribedAt, s.LastWeeklyAt = nullUnix(confirmed), nullUnix(unsub), nullUnix(weekly)
	return s, err
}

func unix(n int64) time.Time { return time.Unix(n, 0).UTC() }

func nullUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return unix(n.Int64)
}

// Subscribe records a subscription request. A new address, a pending one and
// an unsubscribed one become pending with a fresh confirmation token (within
// the daily limit); a confirmed one stays as it is.
func (tx *Tx) Subscribe(ctx context.Context, req SubscribeRequest, lim Limits, now time.Time) (SubscribeResult, error) {
	var res SubscribeResult
	id, err := randomID()
	if err != nil {
		return res, err
	}
	// Insert first, so that two requests for the same new address cannot
	// both create it; then lock the row (PostgreSQL) and decide.
	if _, err := tx.exec(ctx, `INSERT INTO subscribers (id, email, status, consent_version, source, created_at, updated_at)
		VALUES (?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING`,
		id, req.Email, req.ConsentVersion, req.Source, now.Unix(), now.Unix()); err != nil {
		return res, err
	}
	lock := ""
	if tx.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var windowStart int64
	var sent int
	row := tx.queryRow(ctx, `SELECT `+subscriberCols+`, confirm_window_start, confirm_sent FROM subscribers WHERE email = ?`+lock, req.Email)
	s, err := scanSubscriber(scanExtra{row, []any{&windowStart, &sent}})
	if err != nil {
		return res, err
	}
	res.Subscriber = s
	if s.Status == Confirmed {
		return res, nil
	}
	if now.Unix()-windowStart >= int64((24 * time.Hour).Seconds()) {
		windowStart, sent = now.Unix(), 0
	}
	if sent >= lim.ConfirmationsPerDay {
		res.Limited = true
		return res, nil
	}
	if _, err := tx.exec(ctx, `UPDATE subscribers SET status = 'pending', consent_version = ?, source = ?, updated_at = ?,
		confirm_window_start = ?, confirm_sent = ? WHERE id = ?`,
		req.ConsentVersion, req.Source, now.Unix(), windowStart, sent+1, s.ID); err != nil {
		return res, err
	}
	res.Subscriber.Status, res.Subscriber.ConsentVersion, res.Subscriber.Source = Pending, req.ConsentVersion, req.Source
	res.Token, err = tx.newToken(ctx, s.ID, "confirm", now, lim.ConfirmTTL)
	return res, err
}

// scanExtra scans a subscriber followed by more columns.
type scanExtra struct {
	row   *sql.Row
	extra []any
}

func (s scanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }

// CheckToken reports whether a token is valid for a purpose, without
// changing anything: links are opened by mail scanners, so a GET only looks.
func (tx *Tx) CheckToken(ctx context.Context, token, purpose string, now time.Time) (Subscriber, error) {
	row := tx.queryRow(ctx, `SELECT `+prefixed("s.")+` FROM tokens t JOIN subscribers s ON s.id = t.subscriber_id
		WHERE t.hash = ? AND t.purpose = ? AND t.expires_at > ? AND (t.used_at IS NULL OR t.purpose = 'unsubscribe')`,
		hashToken(token), purpose, now.Unix())
	s, err := scanSubscriber(row)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrTokenInvalid
	}
	return s, err
}

// Confirm uses a confirmation token once. It returns the subscriber and
// whether this call confirmed them (false when they already were).
func (tx *Tx) Confirm(ctx context.Context, token string, now time.Time) (Subscriber, bool, error) {
	var subID string
	err := tx.queryRow(ctx, `UPDATE tokens SET used_at = ? WHERE hash = ? AND purpose = 'confirm' AND used_at IS NULL AND expires_at > ?
		RETURNING subscriber_id`, now.Unix(), hashToken(token), now.Unix()).Scan(&subID)
	if errors.Is(err, sql.ErrNoRows) {
		return Subscriber{}, false, ErrTokenInvalid
	}
	if err != nil {
		return Subscriber{}, false, err
	}
	res, err := tx.exec(ctx, `UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, unsubscribed_at = NULL, updated_at = ?
		WHERE id = ? AND status = 'pending'`, now.Unix(), now.Unix(), subID)
	if err != nil {
		return Subscriber{}, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Subscriber{}, false, err
	}
	// The other confirmation links sent to this address are spent too.
	if _, err := tx.exec(ctx, `UPDATE tokens SET used_at = ? WHERE subscriber_id = ? AND purpose = 'confirm' AND used_at IS NULL`,
		now.Unix(), subID); err != nil {
		return Subscriber{}, false, err
	}
	s, err := tx.byID(ctx, subID)
	return s, n == 1, err
}

// Unsubscribe stops every email to the token's subscriber at once. Using the
// token again changes nothing and is not an error.
func (tx *Tx) Unsubscribe(ctx context.Context, token string, now time.Time) (Subscriber, error) {
	s, err := tx.CheckToken(ctx, token, "unsubscribe", now)
	if err != nil {
		return s, err
	}
	if _, err := tx.exec(ctx, `UPDATE tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL`, now.Unix(), hashToken(token)); err != nil {
		return s, err
	}
	if s.Status == Unsubscribed {
		return s, nil
	}
	if _, err := tx.exec(ctx, `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?, updated_at = ? WHERE id = ?`,
		now.Unix(), now.Unix(), s.ID); err != nil {
		return s, err
	}
	// Pending confirmation links must not bring them back.
	if _, err := tx.exec(ctx, `UPDATE tokens SET used_at = ? WHERE subscriber_id = ? AND purpose = 'confirm' AND used_at IS NULL`,
		now.Unix(), s.ID); err != nil {
		return s, err
	}
	return tx.byID(ctx, s.ID)
}

// NewUnsubscribeToken makes the token for the unsubscribe link and header of
// one email to a subscriber.
func (tx *Tx) NewUnsubscribeToken(ctx context.Context, subscriberID string, lim Limits, now time.Time) (string, error) {
	return tx.newToken(ctx, subscriberID, "unsubscribe", now, lim.UnsubscribeTTL)
}

// Subscriber returns the subscriber with this id, or sql.ErrNoRows.
func (tx *Tx) Subscriber(ctx context.Context, id string) (Subscriber, error) { return tx.byID(ctx, id) }

// SubscriberByEmail returns the subscriber with this address, or sql.ErrNoRows.
func (tx *Tx) SubscriberByEmail(ctx context.Context, email string) (Subscriber, error) {
	return scanSubscriber(tx.queryRow(ctx, `SELECT `+subscriberCols+` FROM subscribers WHERE email = ?`, email))
}

func (tx *Tx) byID(ctx context.Context, id string) (Subscriber, error) {
	return scanSubscriber(tx.queryRow(ctx, `SELECT `+subscriberCols+` FROM subscribers WHERE id = ?`, id))
}

// DeleteExpiredTokens removes tokens past their expiry; they can never be
// used again, so keeping them would only keep data.
func (tx *Tx) DeleteExpiredTokens(ctx context.Context, now time.Time) error {
	_, err := tx.exec(ctx, `DELETE FROM tokens WHERE expires_at <= ?`, now.Unix())
	return err
}

func (tx *Tx) newToken(ctx context.Context, subscriberID, purpose string, now time.Time, ttl time.Duration) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	_, err := tx.exec(ctx, `INSERT INTO tokens (hash, subscriber_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hashToken(token), subscriberID, purpose, now.Unix(), now.Add(ttl).Unix())
	return token, err
}

// hashToken is what is stored of a token. Tokens carry 256 random bits, so
// a plain SHA-256 is enough: there is nothing to guess.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func prefixed(p string) string {
	return p + "id, " + p + "email, " + p + "status, " + p + "consent_version, " + p + "source, " + p + "created_at, " +
		p + "updated_at, " + p + "confirmed_at, " + p + "unsubscribed_at, " + p + "last_weekly_at"
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// IsNotFound reports whether err means no such subscriber.
func IsNotFound(err error) bool { return isNoRows(err) }
