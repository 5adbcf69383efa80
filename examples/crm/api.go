package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// API is the CRM's HTTP face over the complaints service and the feedback
// desk: JSON in and out, versions as ETags, errors as status codes.
type API struct {
	Complaints *complaints.Service
	Feedback   *feedback.Service
	Events     *Webhook
	Now        func() time.Time
	Logger     *log.Logger
}

// maxBody bounds request bodies: a complaint is a few kilobytes.
const maxBody = 1 << 20

// Routes returns the API's handler.
func (a *API) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /complaints", a.logComplaint)
	mux.HandleFunc("GET /complaints/{id}", a.getComplaint)
	mux.HandleFunc("POST /complaints/{id}/{step}", a.step)
	mux.HandleFunc("POST /feedback", a.postFeedback)
	mux.HandleFunc("GET /feedback/{id}", a.getFeedback)
	mux.HandleFunc("GET /summary", a.summary)
	return mux
}

// complaintJSON adds the record's ID and version, which store.Meta keeps out
// of the stored body, to the complaint's own JSON.
type complaintJSON struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	*complaints.Complaint
}

// newComplaint is the body of POST /complaints.
type newComplaint struct {
	Received   time.Time           `json:"received"`
	Channel    string              `json:"channel"`
	Customer   complaints.Customer `json:"customer"`
	Summary    string              `json:"summary"`
	Category   string              `json:"category"`
	MadeBy     string              `json:"made_by"`
	DirectedAt complaints.Target   `json:"directed_at"`
	Severity   string              `json:"severity"`
	Concerns   string              `json:"concerns"`
	By         string              `json:"by"`
}

func (a *API) logComplaint(w http.ResponseWriter, r *http.Request) {
	var in newComplaint
	if !a.decode(w, r, &in) {
		return
	}
	c, err := a.Complaints.Log(r.Context(), complaints.Intake{
		Received: in.Received, Channel: complaints.Channel(in.Channel), Customer: in.Customer, Summary: in.Summary,
		Category: in.Category, MadeBy: complaints.MadeBy(in.MadeBy), DirectedAt: in.DirectedAt,
		Severity: complaints.Severity(in.Severity), Concerns: in.Concerns, By: in.By,
	})
	if err != nil {
		a.fail(w, err, false)
		return
	}
	w.Header().Set("Location", "/complaints/"+c.ID)
	a.sendComplaint(w, http.StatusCreated, c)
}

func (a *API) getComplaint(w http.ResponseWriter, r *http.Request) {
	c, err := a.Complaints.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err, false)
		return
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == etag(c.Version) {
		w.Header().Set("ETag", etag(c.Version))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	a.sendComplaint(w, http.StatusOK, c)
}

// stepRequest is the body of POST /complaints/{id}/{step}; each step reads
// the fields it needs.
type stepRequest struct {
	By        string         `json:"by"`
	Note      string         `json:"note"`
	Owner     string         `json:"owner"`     // acknowledge
	How       string         `json:"how"`       // notify
	Satisfied *bool          `json:"satisfied"` // follow-up
	Outcome   string         `json:"outcome"`   // close
	Level     int            `json:"level"`     // escalate
	Remedy    *remedyRequest `json:"remedy"`    // decide
	Role      string         `json:"role"`      // approve, reject: the approver's role
}

type remedyRequest struct {
	Kind string `json:"kind"`
	// Amount is written as money.Parse reads it: "AUD 25.00".
	Amount   string           `json:"amount"`
	Role     string           `json:"role"`
	Purchase *remedy.Purchase `json:"purchase"`
}

// step moves a complaint through the workflow. With If-Match the step
// applies only to that version (412 if the complaint moved on); without it
// the step applies to the latest version, which is what a single clerk
// wants and a busy team should avoid.
func (a *API) step(w http.ResponseWriter, r *http.Request) {
	id, step := r.PathValue("id"), r.PathValue("step")
	version, ok := a.ifMatch(w, r)
	if !ok {
		return
	}
	var in stepRequest
	if !a.decode(w, r, &in) {
		return
	}
	ctx := r.Context()
	input := complaints.Input{By: in.By, Note: in.Note, Version: version}
	var (
		c   complaints.Complaint
		err error
	)
	switch complaints.Step(step) {
	case complaints.StepInvestigate:
		c, err = a.Complaints.Investigate(ctx, id, input)
	case complaints.StepAcknowledge:
		c, err = a.Complaints.Acknowledge(ctx, id, in.Owner, input)
	case complaints.StepDecide:
		var d remedy.Decision
		if d, err = decision(in); err == nil {
			c, err = a.Complaints.Decide(ctx, id, d, version)
		}
	case complaints.StepNotify:
		c, err = a.Complaints.Notify(ctx, id, in.How, input)
	case complaints.StepFollowUp:
		if in.Satisfied == nil {
			err = &cxkit.ValidationError{Field: "satisfied", Rule: "must be true or false for a follow-up"}
		} else {
			c, err = a.Complaints.FollowUp(ctx, id, *in.Satisfied, input)
		}
	case complaints.StepClose:
		c, err = a.Complaints.Close(ctx, id, in.Outcome, input)
	case complaints.StepEscalate:
		c, err = a.Complaints.Escalate(ctx, id, in.Level, input)
	case complaints.StepReopen:
		c, err = a.Complaints.Reopen(ctx, id, input)
	case "approve": // a pending remedy, by someone with the authority
		c, err = a.Complaints.Approve(ctx, id, remedy.Actor{Name: in.By, Role: in.Role}, in.Note)
	case "reject":
		c, err = a.Complaints.Reject(ctx, id, remedy.Actor{Name: in.By, Role: in.Role}, in.Note)
	default:
		a.send(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf("no step %q; steps are investigate, acknowledge, decide, approve, reject, notify, follow-up, close, escalate, reopen", step)})
		return
	}
	if err != nil {
		a.fail(w, err, version != 0)
		return
	}
	a.sendComplaint(w, http.StatusOK, c)
}

func decision(in stepRequest) (remedy.Decision, error) {
	if in.Remedy == nil {
		return remedy.Decision{}, &cxkit.ValidationError{Field: "remedy", Rule: "must be given to decide"}
	}
	d := remedy.Decision{Kind: remedy.Kind(in.Remedy.Kind), Purchase: in.Remedy.Purchase,
		By: remedy.Actor{Name: in.By, Role: in.Remedy.Role}, Note: in.Note}
	if in.Remedy.Amount != "" {
		amt, err := money.Parse(in.Remedy.Amount)
		if err != nil {
			return d, &cxkit.ValidationError{Field: "remedy.amount", Rule: "must be a currency code and an amount, like \"AUD 25.00\": " + err.Error()}
		}
		d.Amount = amt
	}
	return d, nil
}

// newFeedback is the body of POST /feedback.
type newFeedback struct {
	Received    time.Time         `json:"received"`
	Channel     string            `json:"channel"`
	CustomerRef string            `json:"customer_ref"`
	Text        string            `json:"text"`
	Ratings     []feedback.Rating `json:"ratings"`
	Kind        string            `json:"kind"`
	By          string            `json:"by"`
	// HandOff passes a complaint-kind item on to the complaints process.
	HandOff bool `json:"hand_off"`
}

type itemJSON struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	*feedback.Item
}

func (a *API) postFeedback(w http.ResponseWriter, r *http.Request) {
	var in newFeedback
	if !a.decode(w, r, &in) {
		return
	}
	if in.Received.IsZero() {
		in.Received = a.Now() // taken in now, as a form post or an email usually is
	}
	it, err := a.Feedback.Intake(r.Context(), feedback.Intake{Received: in.Received, Channel: feedback.Channel(in.Channel),
		CustomerRef: in.CustomerRef, Text: in.Text, Ratings: in.Ratings, Kind: feedback.Kind(in.Kind), By: in.By})
	if err != nil {
		a.fail(w, err, false)
		return
	}
	a.Events.Send(Event{Type: "feedback.received", At: it.Received, By: in.By, FeedbackID: it.ID, Category: it.Category()})
	if in.HandOff && it.Kind == feedback.KindComplaint {
		if it, err = a.Feedback.HandOff(r.Context(), it.ID, in.By); err != nil {
			a.fail(w, err, false)
			return
		}
	}
	w.Header().Set("Location", "/feedback/"+it.ID)
	w.Header().Set("ETag", etag(it.Version))
	a.send(w, http.StatusCreated, itemJSON{ID: it.ID, Version: it.Version, Item: &it})
}

func (a *API) getFeedback(w http.ResponseWriter, r *http.Request) {
	it, err := a.Feedback.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err, false)
		return
	}
	w.Header().Set("ETag", etag(it.Version))
	a.send(w, http.StatusOK, itemJSON{ID: it.ID, Version: it.Version, Item: &it})
}

// Summary is the monthly summary: plain numbers, with null where a value
// is undefined (no complaint resolved, no ratings).
type Summary struct {
	Month      string           `json:"month"`
	From       time.Time        `json:"from"`
	To         time.Time        `json:"to"`
	Complaints ComplaintSummary `json:"complaints"`
	Feedback   FeedbackSummary  `json:"feedback"`
}

// ComplaintSummary is the complaints part of Summary.
type ComplaintSummary struct {
	Total                  int64    `json:"total"`
	ByCategory             []Count  `json:"by_category"`
	ByStatus               []Count  `json:"by_status"`
	Resolved               int64    `json:"resolved"`
	MedianResolutionHours  *float64 `json:"median_resolution_hours"`
	BreachRate             *float64 `json:"breach_rate"`
	FirstContactResolution *float64 `json:"first_contact_resolution"`
}

// A Count is how many complaints or feedback items had a value this month
// (and, for feedback, the month before).
type Count struct {
	Value    string `json:"value"`
	Count    int64  `json:"count"`
	Previous *int   `json:"previous,omitempty"`
}

func complaintCounts(cs []complaints.Count) []Count {
	out := []Count{}
	for _, c := range cs {
		out = append(out, Count{Value: c.Value, Count: c.Count})
	}
	return out
}

func feedbackCounts(cs []feedback.Count) []Count {
	out := []Count{}
	for _, c := range cs {
		out = append(out, Count{Value: c.Value, Count: int64(c.Now), Previous: &c.Previous})
	}
	return out
}

// FeedbackSummary is the feedback part of Summary.
type FeedbackSummary struct {
	Total         int      `json:"total"`
	PreviousTotal int      `json:"previous_total"`
	ByKind        []Count  `json:"by_kind"`
	ByCategory    []Count  `json:"by_category"`
	Uncategorised int      `json:"uncategorised"`
	Rising        []string `json:"rising"`
}

// number turns NaN (undefined) into JSON null, which encoding/json cannot
// do for a float64 and refuses to encode otherwise.
func number(v float64, defined bool) *float64 {
	if !defined || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (a *API) summary(w http.ResponseWriter, r *http.Request) {
	now := a.Now()
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	if m := r.URL.Query().Get("month"); m != "" {
		t, err := time.ParseInLocation("2006-01", m, now.Location())
		if err != nil {
			a.send(w, http.StatusBadRequest, errorBody{Error: "month: must be YYYY-MM", Field: "month", Rule: "must be YYYY-MM"})
			return
		}
		from = t
	}
	to := from.AddDate(0, 1, 0)
	cs, err := a.Complaints.Summarise(r.Context(), from, to)
	if err != nil {
		a.fail(w, err, false)
		return
	}
	fs, err := a.Feedback.Summarise(r.Context(), from, to, feedback.SummaryOptions{})
	if err != nil {
		a.fail(w, err, false)
		return
	}
	s := Summary{Month: from.Format("2006-01"), From: from, To: to,
		Complaints: ComplaintSummary{Total: cs.Total, ByCategory: complaintCounts(cs.ByCategory), ByStatus: complaintCounts(cs.ByStatus), Resolved: cs.Resolved,
			MedianResolutionHours:  number(cs.Resolution.Median, cs.Resolution.N > 0),
			BreachRate:             number(cs.BreachRate, cs.Total > 0),
			FirstContactResolution: number(cs.FirstContactResolution, cs.Resolved > 0)},
		Feedback: FeedbackSummary{Total: fs.Total, PreviousTotal: fs.PreviousTotal, ByKind: feedbackCounts(fs.ByKind), ByCategory: feedbackCounts(fs.ByCategory),
			Uncategorised: fs.Uncategorised, Rising: []string{}},
	}
	for _, al := range fs.Rising {
		s.Feedback.Rising = append(s.Feedback.Rising, fmt.Sprint(al))
	}
	a.send(w, http.StatusOK, s)
}

// etag is a complaint version as an HTTP entity tag. Versions grow by one on
// every change, so the version is a strong validator on its own.
func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// ifMatch reads If-Match as a version: 0 when absent, 400 when it is not one
// of our ETags.
func (a *API) ifMatch(w http.ResponseWriter, r *http.Request) (int64, bool) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, true
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 || strings.Contains(h, ",") {
		a.send(w, http.StatusBadRequest, errorBody{Error: "If-Match: must be one ETag returned by this API, like \"3\"", Field: "If-Match", Rule: "must be one ETag returned by this API"})
		return 0, false
	}
	return v, true
}

// decode reads a JSON body strictly: unknown fields are a client's mistake
// worth reporting rather than ignoring.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		a.send(w, http.StatusBadRequest, errorBody{Error: "request body: " + err.Error(), Field: "body", Rule: "must be one JSON object of the documented shape"})
		return false
	}
	if errors.Is(err, io.EOF) {
		a.send(w, http.StatusBadRequest, errorBody{Error: "request body: must not be empty", Field: "body", Rule: "must not be empty"})
		return false
	}
	return true
}

// errorBody is every error response.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
	Rule  string `json:"rule,omitempty"`
	// State and Allowed explain a refused workflow step.
	State   string   `json:"state,omitempty"`
	Allowed []string `json:"allowed,omitempty"`
}

// fail maps an error from the services to a status. conditional says the
// request carried If-Match, which turns a version conflict into 412: the
// client's precondition failed. Without it a conflict that survived the
// services' retries is a 409.
func (a *API) fail(w http.ResponseWriter, err error, conditional bool) {
	body := errorBody{Error: err.Error()}
	var (
		cfe *cxkit.ValidationError // from any package: complaints, feedback
		te  *cxkit.TransitionError
	)
	code := http.StatusInternalServerError
	switch {
	case errors.Is(err, remedy.ErrNotAuthorized):
		errors.As(err, &cfe)
		body.Field, body.Rule = cfe.Field, cfe.Rule
		code = http.StatusForbidden
	case errors.As(err, &cfe):
		body.Field, body.Rule = cfe.Field, cfe.Rule
		code = http.StatusBadRequest
		if errors.Is(err, cxkit.ErrPolicy) {
			code = http.StatusUnprocessableEntity
		}
	case errors.As(err, &te):
		body.State = te.From
		for _, s := range complaints.Allowed(complaints.Status(te.From), "") {
			body.Allowed = append(body.Allowed, string(s))
		}
		code = http.StatusConflict
	case errors.Is(err, store.ErrConflict):
		code = http.StatusConflict
		if conditional {
			code = http.StatusPreconditionFailed
		}
	case errors.Is(err, store.ErrNotFound):
		code = http.StatusNotFound
	case errors.Is(err, store.ErrInvalid):
		code = http.StatusBadRequest
	case errors.Is(err, context.Canceled):
		code = 499 // client went away; nobody reads this, but logs do
	}
	if code == http.StatusInternalServerError {
		a.Logger.Printf("internal error: %v", err)
		body.Error = "internal error"
	}
	a.send(w, code, body)
}

func (a *API) sendComplaint(w http.ResponseWriter, code int, c complaints.Complaint) {
	w.Header().Set("ETag", etag(c.Version))
	a.send(w, code, complaintJSON{ID: c.ID, Version: c.Version, Complaint: &c})
}

func (a *API) send(w http.ResponseWriter, code int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		a.Logger.Printf("encoding response: %v", err)
		code, body = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(body, '\n'))
}
