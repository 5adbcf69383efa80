package feedback

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/survey"
)

// Erasing one customer takes them out of another customer's item that
// mentions them, and nothing else: the other customer keeps their
// reference, contact details and the rest of their words.
func TestEraseLeavesOtherCustomersOwnData(t *testing.T) {
	clk := &clock{t: time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)}
	svc, err := New(memory.New(), hotelConfig(), WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := clk.now().Add(-time.Hour)
	if _, err := svc.Intake(ctx, Intake{Received: at, Channel: ChannelOnlineForm, CustomerRef: "crm-77",
		Contact: Contact{Name: "Dana Whitfield", Email: "dana@example.org"}, Text: "the breakfast was cold"}); err != nil {
		t.Fatal(err)
	}
	bob, err := svc.Intake(ctx, Intake{Received: at, Channel: ChannelOnlineForm, CustomerRef: "crm-5",
		Contact: Contact{Name: "Bob Marsh", Email: "bob@example.net", Phone: "0411 222 333"},
		Text:    "Dana Whitfield and I waited an hour; call me on 0411 222 333 or bob@example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cxkit.EraseCustomer(ctx, "crm-77", "privacy officer", svc); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.Text, "Dana") {
		t.Errorf("the erased customer is still named: %q", got.Text)
	}
	if got.CustomerRef != "crm-5" || got.Contact != bob.Contact || got.Erased {
		t.Errorf("another customer's own data went with the erasure: ref %q contact %+v erased %v", got.CustomerRef, got.Contact, got.Erased)
	}
	for _, keep := range []string{"0411 222 333", "bob@example.net", "waited an hour"} {
		if !strings.Contains(got.Text, keep) {
			t.Errorf("%q taken out of another customer's text: %q", keep, got.Text)
		}
	}
}

// A survey response by someone else that names the erased customer keeps
// its respondent and its own contact details; the customer's own response
// loses its respondent.
func TestEraseLeavesOtherRespondents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.desk.PublishForm(ctx, survey.Form{
		Name: "stay", Version: 1, Title: "Your stay", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Stay", Questions: []survey.Question{
			{ID: "recommend", Text: "How likely are you to recommend us?", Type: survey.QuestionTypeNPS},
			{ID: "comments", Text: "Anything else?", Type: survey.QuestionTypeFreeText},
		}}},
	}); err != nil {
		t.Fatal(err)
	}
	at := f.clock.now().Add(-time.Hour)
	hers, err := f.desk.Respond(ctx, Response{Survey: "stay", Version: 1, Wave: "Q1", Respondent: "crm-77", Submitted: at,
		Answers: []survey.Answer{{Question: "recommend", Value: 4}, {Question: "comments", Text: "I am Dana Whitfield, dana@example.org"}}})
	if err != nil {
		t.Fatal(err)
	}
	his, err := f.desk.Respond(ctx, Response{Survey: "stay", Version: 1, Wave: "Q1", Respondent: "crm-5", Submitted: at,
		Answers: []survey.Answer{{Question: "recommend", Value: 9}, {Question: "comments", Text: "Dana Whitfield was lovely; reach me at bob@example.net"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.EraseIdentifiers(ctx, cxkit.Identifiers{Ref: "crm-77", Names: []string{"Dana Whitfield"}, Emails: []string{"dana@example.org"}}, "privacy officer"); err != nil {
		t.Fatal(err)
	}
	got, err := f.desk.responses.Get(ctx, his.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Respondent != "crm-5" || !strings.Contains(got.Answers[1].Text, "bob@example.net") || strings.Contains(got.Answers[1].Text, "Dana") {
		t.Errorf("another respondent's response after the erasure: respondent %q, comment %q", got.Respondent, got.Answers[1].Text)
	}
	mine, err := f.desk.responses.Get(ctx, hers.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Respondent != "" || strings.Contains(mine.Answers[1].Text, "dana@") || strings.Contains(mine.Answers[1].Text, "Dana") {
		t.Errorf("the customer's own response after the erasure: respondent %q, comment %q", mine.Respondent, mine.Answers[1].Text)
	}
}
