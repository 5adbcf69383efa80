package feedback

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit/store"
)

// A Response is one completed questionnaire of a survey wave. A wave (for
// example "2026-H1") is one round of sending the survey out; waves of one
// survey are comparable question by question even across form versions,
// because a question keeps its ID, type and scale.
type Response struct {
	store.Meta
	Survey     string    `json:"survey"`
	Version    int       `json:"version"`
	Wave       string    `json:"wave"`
	Respondent string    `json:"respondent,omitempty"`
	Submitted  time.Time `json:"submitted"`
	Answers    []Answer  `json:"answers"`
}

func responseIndex(r *Response) map[string]string {
	m := map[string]string{
		"survey":    r.Survey,
		"wave":      r.Wave,
		"version":   store.IntKey(int64(r.Version)),
		"submitted": store.TimeKey(r.Submitted),
	}
	if r.Respondent != "" {
		m["respondent"] = r.Respondent
	}
	return m
}

// Respond validates a survey response against the survey version it
// answers and stores it. An answer to a question not on that version, or
// outside its scale, fails with an error wrapping ErrInvalid and stores
// nothing.
func (d *Desk) Respond(ctx context.Context, r Response) (Response, error) {
	r.Meta = store.Meta{}
	now := d.now()
	if strings.TrimSpace(r.Wave) == "" || len(r.Wave) > 64 || !utf8.ValidString(r.Wave) {
		return Response{}, invalidf("response.wave", "must be 1 to 64 bytes, not blank")
	}
	if r.Submitted.IsZero() {
		r.Submitted = now
	}
	if r.Submitted.After(now) {
		return Response{}, invalidf("response.submitted", "must not be in the future, got %s", r.Submitted.Format(time.RFC3339))
	}
	if len(r.Respondent) > MaxCustomerRefLen {
		return Response{}, invalidf("response.respondent", "must be at most %d bytes", MaxCustomerRefLen)
	}
	f, err := d.Form(ctx, r.Survey, r.Version)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Response{}, invalidf("response.survey", "must be a published form version, got %s version %d", r.Survey, r.Version)
		}
		return Response{}, err
	}
	if f.Purpose != PurposeSurvey {
		return Response{}, invalidf("response.survey", "must be a survey questionnaire; %s is a feedback form (take its answers in as items)", r.Survey)
	}
	if err := checkAnswers("response.answers", f, r.Answers); err != nil {
		return Response{}, err
	}
	if len(r.Answers) == 0 {
		return Response{}, invalidf("response.answers", "must answer at least one question")
	}
	r.Submitted = r.Submitted.UTC()
	return d.responses.Create(ctx, r)
}

// WaveValues returns the values answered to a numeric question in one wave
// of a survey, across all its versions. Unanswered questions contribute
// nothing.
func (d *Desk) WaveValues(ctx context.Context, survey, wave, question string) ([]int, error) {
	var vs []int
	q := store.Query{Filters: []store.Filter{store.Where("survey", survey), store.Where("wave", wave)}, Limit: store.MaxLimit}
	for r, err := range d.responses.All(ctx, q) {
		if err != nil {
			return nil, err
		}
		for _, a := range r.Answers {
			if a.Question == question {
				vs = append(vs, a.Value)
			}
		}
	}
	return vs, nil
}

// questionType finds the type of a question in the latest version of a
// survey that has it.
func (d *Desk) questionType(ctx context.Context, survey, question string) (QuestionType, error) {
	latest, err := d.LatestForm(ctx, survey)
	if err != nil {
		return "", err
	}
	for v := latest.Version; v >= 1; v-- {
		f, err := d.Form(ctx, survey, v)
		if err != nil {
			return "", err
		}
		if q, ok := f.Question(question); ok {
			return q.Type, nil
		}
	}
	return "", invalidf("question", "must be a question of survey %s, got %q", survey, question)
}

// CompareWaves compares a score question (NPS, CSAT or CES) between two
// waves of a survey with the test that fits it, and says in plain words
// whether the change is real at confidence conf.
func (d *Desk) CompareWaves(ctx context.Context, survey, question, before, after string, conf float64) (Comparison, error) {
	t, err := d.questionType(ctx, survey, question)
	if err != nil {
		return Comparison{}, err
	}
	a, err := d.WaveValues(ctx, survey, before, question)
	if err != nil {
		return Comparison{}, err
	}
	b, err := d.WaveValues(ctx, survey, after, question)
	if err != nil {
		return Comparison{}, err
	}
	switch t {
	case QuestionNPS:
		return CompareNPS(a, b, conf)
	case QuestionCSAT:
		return CompareCSAT(a, b, conf)
	case QuestionCES:
		return CompareCES(a, b, conf)
	}
	return Comparison{}, invalidf("question", "must be an nps, csat or ces question to compare waves, %q is %s", question, t)
}

// WaveNPS returns the NPS of one wave for an NPS question.
func (d *Desk) WaveNPS(ctx context.Context, survey, wave, question string, conf float64) (NPSScore, error) {
	vs, err := d.WaveValues(ctx, survey, wave, question)
	if err != nil {
		return NPSScore{}, err
	}
	return NPS(vs, conf)
}

// scoreValues collects every answer to questions of type t given in
// [from, to): on survey responses submitted then and on items received
// then.
func (d *Desk) scoreValues(ctx context.Context, t QuestionType, from, to time.Time) ([]int, error) {
	forms := map[string]Form{}
	typeOf := func(name string, version int, q string) (QuestionType, error) {
		key := formRecordID(name, version)
		f, ok := forms[key]
		if !ok {
			var err error
			if f, err = d.Form(ctx, name, version); err != nil {
				return "", fmt.Errorf("feedback: form of a stored answer: %w", err)
			}
			forms[key] = f
		}
		qq, _ := f.Question(q)
		return qq.Type, nil
	}
	var vs []int
	rq := store.Query{Filters: store.Between("submitted", store.TimeKey(from), store.TimeKey(to)), Limit: store.MaxLimit}
	for r, err := range d.responses.All(ctx, rq) {
		if err != nil {
			return nil, err
		}
		for _, a := range r.Answers {
			qt, err := typeOf(r.Survey, r.Version, a.Question)
			if err != nil {
				return nil, err
			}
			if qt == t {
				vs = append(vs, a.Value)
			}
		}
	}
	for it, err := range d.Items(ctx, from, to) {
		if err != nil {
			return nil, err
		}
		for _, a := range it.Answers {
			qt, err := typeOf(it.Form, it.FormVersion, a.Question)
			if err != nil {
				return nil, err
			}
			if qt == t {
				vs = append(vs, a.Value)
			}
		}
	}
	return vs, nil
}
