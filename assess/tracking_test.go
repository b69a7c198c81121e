package assess

import (
	"net/url"
	"testing"
)

func TestIsTracking(t *testing.T) {
	// The parameters issue 11 found turning links into errors, and the
	// families and spellings seen in the wild.
	for _, name := range []string{"_gl", "gbraid", "wbraid", "ttclid", "yclid", "li_fat_id", "igsh", "srsltid",
		"mkt_tok", "_ga", "__hstc", "__hssc", "__hsfp", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "dclid", "twclid",
		"rdt_cid", "epik", "s_kwcid", "ef_id", "msclkid", "fbclid", "gclid", "utm_source", "utm_medium",
		"UTM_Campaign", "utm_content", "utm_term", "utm_id", "oly_anon_id", "oly_enc_id", "vero_conv", "vero_id",
		"ref_src", "FBCLID", "igshid", "mtm_campaign", "pk_kwd", "hsa_cam"} {
		if !isTracking(name) {
			t.Errorf("isTracking(%q) = false", name)
		}
	}
	for _, name := range []string{"roadmap", "squads", "q", "page", "utm", "gclid2", "referral", "_", ""} {
		if isTracking(name) {
			t.Errorf("isTracking(%q) = true", name)
		}
	}
}

func TestStripTracking(t *testing.T) {
	v := url.Values{"roadmap": {"me"}, "gclid": {"x"}, "utm_source": {"news"}, "ref": {"answer"}, "colour": {"blue"}}
	isQuestion := func(k string) bool { return k == "roadmap" || k == "ref" }
	if !stripTracking(v, isQuestion) {
		t.Fatal("stripTracking reported nothing dropped")
	}
	want := url.Values{"roadmap": {"me"}, "ref": {"answer"}, "colour": {"blue"}}
	if v.Encode() != want.Encode() {
		t.Errorf("after stripping: %s, want %s (a question named like a tracking parameter is kept)", v.Encode(), want.Encode())
	}
	if stripTracking(v, isQuestion) {
		t.Error("stripTracking reported a drop on clean values")
	}
}
