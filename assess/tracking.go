package assess

import (
	"net/url"
	"strings"
)

// trackingNames are query parameters that ad platforms, social networks, mail
// campaigns and analytics tools add to links people share or click. They
// carry no answer, so they are dropped (with a redirect to the clean
// address) instead of turning a result link into an error.
var trackingNames = map[string]bool{
	// Google (Ads, Analytics, cross-domain linker, Search, Merchant Center)
	"gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true, "_gl": true, "_ga": true,
	"_gac": true, "gad_source": true, "gad_campaignid": true, "srsltid": true,
	// Microsoft, Meta, Instagram, X, TikTok, LinkedIn, Reddit, Pinterest, Snapchat, Yandex
	"msclkid": true, "fbclid": true, "fb_action_ids": true, "fb_action_types": true, "fb_source": true,
	"igsh": true, "igshid": true, "twclid": true, "ttclid": true, "li_fat_id": true, "rdt_cid": true,
	"epik": true, "sccid": true, "yclid": true, "ysclid": true,
	// Adobe, Marketo, HubSpot, Mailchimp, Drip, Vero, MailerLite, Impact
	"s_kwcid": true, "ef_id": true, "mkt_tok": true, "__hstc": true, "__hssc": true, "__hsfp": true,
	"_hsenc": true, "_hsmi": true, "hsctatracking": true, "mc_cid": true, "mc_eid": true, "__s": true,
	"ml_subscriber": true, "ml_subscriber_hash": true, "irclickid": true,
	// Referrer markers added by sites and apps
	"ref": true, "ref_src": true, "ref_url": true,
}

// trackingPrefixes are families of tracking parameters: utm_source,
// oly_anon_id, vero_conv, Matomo's mtm_ and pk_, HubSpot ads' hsa_.
var trackingPrefixes = []string{"utm_", "oly_", "vero_", "mtm_", "pk_", "hsa_"}

// isTracking reports whether a query parameter name is a known tracking or
// click-id parameter. Names are compared without case, since platforms
// and link shorteners differ (UTM_Source, FBCLID).
func isTracking(name string) bool {
	n := strings.ToLower(name)
	if trackingNames[n] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// stripTracking removes tracking parameters from v, except any that is also
// one of the assessment's question ids (an answer always wins), and reports
// whether it removed any.
func stripTracking(v url.Values, isQuestion func(string) bool) bool {
	dropped := false
	for k := range v {
		if isTracking(k) && !isQuestion(k) {
			delete(v, k)
			dropped = true
		}
	}
	return dropped
}
