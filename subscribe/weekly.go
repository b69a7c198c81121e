package subscribe

import (
	"context"
	"errors"

	"github.com/pmvspo/site/subscribe/queue"
	"github.com/pmvspo/site/subscribe/store"
)

// RunWeekly sends the weekly email, once per ISO week however many replicas
// call it: the week is claimed in the same transaction that queues the
// emails. Each confirmed subscriber gets the guides new or updated since
// their last email (the welcome email counts); a subscriber with nothing
// new gets nothing. The queue's leader calls it every hour; it is exported
// for tests and operators.
func (f *Feature) RunWeekly(ctx context.Context) error {
	snap := f.snap.Load()
	if snap == nil {
		return errors.New("weekly email: no content yet (the server has not registered the routes)")
	}
	site, em := snap.Site, f.emails(snap)
	now := f.now()
	period := store.WeekKey(now)
	return f.db.Tx(ctx, func(tx *store.Tx) error {
		claimed, err := tx.ClaimWeek(ctx, period, now)
		if err != nil || !claimed {
			return err
		}
		if err := tx.DeleteExpiredTokens(ctx, now); err != nil {
			return err
		}
		subs, err := tx.ConfirmedSubscribers(ctx)
		if err != nil {
			return err
		}
		sent := 0
		for _, s := range subs {
			since := s.ConfirmedAt
			if s.LastWeeklyAt.After(since) {
				since = s.LastWeeklyAt
			}
			guides := em.changedSince(site, since)
			if len(guides) == 0 {
				continue
			}
			unsub, err := tx.NewUnsubscribeToken(ctx, s.ID, f.limits, now)
			if err != nil {
				return err
			}
			msg, err := em.weekly(s.Email, unsub, guides)
			if err != nil {
				return err
			}
			if err := f.queue.Enqueue(ctx, tx, queue.EmailArgs{Message: msg, SubscriberID: s.ID, Purpose: queue.PurposeWeekly}); err != nil {
				return err
			}
			if err := tx.MarkWeeklySent(ctx, s.ID, now); err != nil {
				return err
			}
			sent++
		}
		f.log.Info("weekly email queued", "period", period, "emails", sent)
		return tx.CountWeeklyEmails(ctx, period, sent)
	})
}
