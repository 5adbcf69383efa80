package feedback

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// ErrDuplicateResponse is wrapped (in a *cxkit.ValidationError) when a
// respondent who already answered a wave answers it again; use
// ReplaceResponse to replace their answers on purpose.
var ErrDuplicateResponse = errors.New("feedback: respondent already answered this wave")

// A Response is one completed questionnaire of a survey wave. A wave (for
// example "2026-H1") is one round of sending the survey out; waves of one
// survey are comparable question by question even across form versions,
// because a question keeps its ID, type and scale.
type Response struct {
	store.Meta
	Survey     string          `json:"survey"`
	Version    int             `json:"version"`
	Wave       string          `json:"wave"`
	Respondent string          `json:"respondent,omitempty"`
	Submitted  time.Time       `json:"submitted"`
	Answers    []survey.Answer `json:"answers"`
	// History records a replacement of the answers and an erasure.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
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
// outside its scale, fails with a *cxkit.ValidationError and stores
// nothing. A respondent (a non-empty Respondent) answers a wave once: a
// second response to the same survey and wave is refused with an error
// wrapping ErrDuplicateResponse; ReplaceResponse replaces the first on
// purpose. Anonymous responses are not matched.
func (s *Service) Respond(ctx context.Context, r Response) (Response, error) {
	return s.respond(ctx, r, false, "", "")
}

// ReplaceResponse stores r in place of the respondent's earlier response
// to the same survey and wave, recording who replaced it and why in the
// response's history; with no earlier response it stores r as Respond
// would. r must name its Respondent.
func (s *Service) ReplaceResponse(ctx context.Context, r Response, by, why string) (Response, error) {
	if strings.TrimSpace(r.Respondent) == "" {
		return Response{}, invalidf("response.respondent", "must name the respondent whose response is replaced")
	}
	if strings.TrimSpace(by) == "" {
		return Response{}, invalidf("by", "must name who replaced the response")
	}
	return s.respond(ctx, r, true, by, why)
}

func (s *Service) respond(ctx context.Context, r Response, replace bool, by, why string) (Response, error) {
	r.Meta = store.Meta{}
	r.History = nil
	now := s.now()
	if strings.TrimSpace(r.Wave) == "" || len(r.Wave) > 64 || !utf8.ValidString(r.Wave) {
		return Response{}, invalidf("response.wave", "must be 1 to 64 bytes, not blank")
	}
	if r.Submitted.IsZero() {
		r.Submitted = now
	}
	if r.Submitted.After(now) {
		return Response{}, invalidf("response.submitted", "must not be in the future, got %s", r.Submitted.Format(time.RFC3339))
	}
	if len(r.Respondent) > maxCustomerRefLen {
		return Response{}, invalidf("response.respondent", "must be at most %d bytes", maxCustomerRefLen)
	}
	f, err := s.Form(ctx, r.Survey, r.Version)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Response{}, invalidf("response.survey", "must be a published form version, got %s version %d", r.Survey, r.Version)
		}
		return Response{}, err
	}
	if f.Purpose != survey.PurposeSurvey {
		return Response{}, invalidf("response.survey", "must be a survey questionnaire; %s is a feedback form (take its answers in as items)", r.Survey)
	}
	if err := f.CheckAnswers("response.answers", r.Answers); err != nil {
		return Response{}, err
	}
	if len(r.Answers) == 0 {
		return Response{}, invalidf("response.answers", "must answer at least one question")
	}
	r.Submitted = r.Submitted.UTC()
	if r.Respondent == "" {
		out, err := s.responses.Create(ctx, r)
		if err == nil {
			s.emitResponse(ctx, out, false, by)
		}
		return out, err
	}
	// One respondent, one response a wave: the check and the write are
	// serialised within the service so two submissions racing in cannot
	// both pass the check.
	s.respMu.Lock()
	defer s.respMu.Unlock()
	var earlier []Response
	q := store.Query{Filters: []store.Filter{store.Where("survey", r.Survey), store.Where("wave", r.Wave), store.Where("respondent", r.Respondent)}, Limit: store.MaxLimit}
	for e, err := range s.responses.All(ctx, q) {
		if err != nil {
			return Response{}, err
		}
		earlier = append(earlier, e)
	}
	if len(earlier) == 0 {
		out, err := s.responses.Create(ctx, r)
		if err == nil {
			s.emitResponse(ctx, out, false, by)
		}
		return out, err
	}
	if !replace {
		return Response{}, invalidCause(ErrDuplicateResponse, "response.respondent", "has already answered wave %s of %s (on %s); replace that response on purpose if the new one should count", r.Wave, r.Survey, earlier[0].Submitted.Format("2 January 2006"))
	}
	out, err := s.responses.Mutate(ctx, earlier[0].ID, func(e *Response) error {
		e.History = append(e.History, cxkit.HistoryEntry{At: now, By: by, Action: "replaced",
			What: fmt.Sprintf("answers submitted on %s replaced by answers submitted on %s", e.Submitted.Format("2 January 2006"), r.Submitted.Format("2 January 2006")), Why: why})
		e.Version, e.Submitted, e.Answers = r.Version, r.Submitted, r.Answers
		return nil
	})
	if err == nil {
		s.emitResponse(ctx, out, true, by)
	}
	return out, err
}

func (s *Service) emitResponse(ctx context.Context, r Response, replaced bool, by string) {
	s.emit(ctx, cxkit.Event{Type: EventResponseRecorded, Subject: r.ID, By: by,
		Attrs: map[string]string{"survey": r.Survey, "wave": r.Wave, "replaced": strconv.FormatBool(replaced)}})
}

// WaveValues returns the values answered to a numeric question in one wave
// of a survey, across all its versions. Unanswered questions contribute
// nothing.
func (s *Service) WaveValues(ctx context.Context, surveyName, wave, question string) ([]int, error) {
	var vs []int
	q := store.Query{Filters: []store.Filter{store.Where("survey", surveyName), store.Where("wave", wave)}, Limit: store.MaxLimit}
	for r, err := range s.responses.All(ctx, q) {
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
// surveyName that has it.
func (s *Service) questionType(ctx context.Context, surveyName, question string) (survey.QuestionType, error) {
	latest, err := s.LatestForm(ctx, surveyName)
	if err != nil {
		return "", err
	}
	for v := latest.Version; v >= 1; v-- {
		f, err := s.Form(ctx, surveyName, v)
		if err != nil {
			return "", err
		}
		if q, ok := f.Question(question); ok {
			return q.Type, nil
		}
	}
	return "", invalidf("question", "must be a question of survey %s, got %q", surveyName, question)
}

// CompareWaves compares a score question (NPS, CSAT or CES) between two
// waves of a survey with the test that fits it, and says in plain words
// whether the change is real at confidence conf.
func (s *Service) CompareWaves(ctx context.Context, surveyName, question, before, after string, conf float64) (survey.Comparison, error) {
	t, err := s.questionType(ctx, surveyName, question)
	if err != nil {
		return survey.Comparison{}, err
	}
	a, err := s.WaveValues(ctx, surveyName, before, question)
	if err != nil {
		return survey.Comparison{}, err
	}
	b, err := s.WaveValues(ctx, surveyName, after, question)
	if err != nil {
		return survey.Comparison{}, err
	}
	switch t {
	case survey.QuestionTypeNPS:
		return survey.CompareNPS(a, b, conf)
	case survey.QuestionTypeCSAT:
		return survey.CompareCSAT(a, b, conf)
	case survey.QuestionTypeCES:
		return survey.CompareCES(a, b, conf)
	}
	return survey.Comparison{}, invalidf("question", "must be an nps, csat or ces question to compare waves, %q is %s", question, t)
}

// WaveNPS returns the NPS of one wave for an NPS question.
func (s *Service) WaveNPS(ctx context.Context, surveyName, wave, question string, conf float64) (survey.NPSScore, error) {
	vs, err := s.WaveValues(ctx, surveyName, wave, question)
	if err != nil {
		return survey.NPSScore{}, err
	}
	return survey.NPS(vs, conf)
}

// WaveCSAT returns the CSAT of one wave for a CSAT question.
func (s *Service) WaveCSAT(ctx context.Context, surveyName, wave, question string, conf float64) (survey.CSATScore, error) {
	vs, err := s.WaveValues(ctx, surveyName, wave, question)
	if err != nil {
		return survey.CSATScore{}, err
	}
	return survey.CSAT(vs, conf)
}

// scoreValues collects every answer to questions of type t given in
// [from, to): on survey responses submitted then and on items received
// then.
func (s *Service) scoreValues(ctx context.Context, t survey.QuestionType, from, to time.Time) ([]int, error) {
	forms := map[string]survey.Form{}
	typeOf := func(name string, version int, q string) (survey.QuestionType, error) {
		key := formRecordID(name, version)
		f, ok := forms[key]
		if !ok {
			var err error
			if f, err = s.Form(ctx, name, version); err != nil {
				return "", fmt.Errorf("feedback: form of a stored answer: %w", err)
			}
			forms[key] = f
		}
		qq, _ := f.Question(q)
		return qq.Type, nil
	}
	var vs []int
	rq := store.Query{Filters: store.Between("submitted", store.TimeKey(from), store.TimeKey(to)), Limit: store.MaxLimit}
	for r, err := range s.responses.All(ctx, rq) {
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
	for it, err := range s.Items(ctx, ItemFilter{From: from, To: to}) {
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
