package assessment

import (
	"context"
	"errors"
	"fmt"
	"github.com/cxkit/cxkit"
	"iter"
	"slices"
	"strings"

	"github.com/cxkit/cxkit/store"
)

// Create validates a and stores it as a new open assessment. The catalogue
// must be known (see Catalogue); empty Factors, Scale, WellCount and
// BetterCount get their defaults. by is who set it up, for the history.
func (s *Service) Create(ctx context.Context, a Assessment, by string) (Assessment, error) {
	if a.Catalogue == "" {
		return Assessment{}, invalidf("assessment.catalogue", "must not be empty")
	}
	if strings.TrimSpace(a.CatalogueVersion) == "" {
		// Statement IDs are compared across versions, so which version the
		// team rated against has to be recorded, never guessed.
		return Assessment{}, invalidf("assessment.catalogue_version", "must name the version of catalogue %q rated against", a.Catalogue)
	}
	c, scale, err := s.catalogueScale(ctx, a.Catalogue, a.CatalogueVersion)
	if err != nil {
		return Assessment{}, err
	}
	a.Participants = slices.Clone(a.Participants)
	a.Factors = slices.Clone(a.Factors)
	if err := a.prepare(c, scale); err != nil {
		return Assessment{}, err
	}
	a.History = []cxkit.HistoryEntry{{At: s.stamp(), By: by, Action: "created", To: string(StatusOpen), What: fmt.Sprintf("created for %s on %d factors with %d participants", a.Team, len(a.Factors), len(a.Participants))}}
	out, err := s.assessments.Create(ctx, a)
	if err == nil {
		s.emit(ctx, cxkit.Event{Type: EventCreated, Subject: out.ID, By: by, To: string(out.Status),
			Attrs: map[string]string{"team": out.Team, "catalogue": out.Catalogue}})
	}
	return out, err
}

// Get returns the assessment with the given ID.
func (s *Service) Get(ctx context.Context, id string) (Assessment, error) {
	return s.assessments.Get(ctx, id)
}

// Assessments streams the assessments of a team ("" for every team), oldest
// first.
func (s *Service) Assessments(ctx context.Context, team string) iter.Seq2[Assessment, error] {
	var q store.Query
	if team != "" {
		q.Filters = []store.Filter{store.Where("team", team)}
	}
	return s.assessments.All(ctx, q)
}

// load returns an assessment with its catalogue.
func (s *Service) load(ctx context.Context, id string) (Assessment, *Catalogue, error) {
	a, err := s.assessments.Get(ctx, id)
	if err != nil {
		return Assessment{}, nil, err
	}
	c, err := s.Catalogue(ctx, a.Catalogue, a.CatalogueVersion)
	if err != nil {
		return Assessment{}, nil, err
	}
	return a, c, nil
}

// Rate records ratings by one participant. A rating of a statement the
// participant rated before replaces the earlier one, and the sheet's
// history keeps one entry per call that changed something: how many
// statements were rated for the first time and, for each changed answer,
// the old and the new one (see Sheets). Every rating is checked
// before anything is written: the participant must be listed, the
// assessment open, each statement in a factor being assessed, each score on
// the scale; otherwise the error names the rating and nothing changes.
func (s *Service) Rate(ctx context.Context, assessmentID, participant string, ratings ...Rating) error {
	a, c, err := s.load(ctx, assessmentID)
	if err != nil {
		return err
	}
	if a.Status != StatusOpen {
		return invalidf("assessment.status", "must be open to take ratings; assessment %s is %s", a.ID, a.Status)
	}
	if !slices.Contains(a.Participants, participant) {
		return invalidf("participant", "must be a participant of assessment %s, got %q", a.ID, participant)
	}
	if len(ratings) == 0 {
		return invalidf("ratings", "must not be empty")
	}
	sc, err := newScorer(c, a.Factors)
	if err != nil {
		return err
	}
	for i, r := range ratings {
		if _, err := sc.check(r, a.Scale); err != nil {
			err.Field = fmt.Sprintf("ratings[%d].%s", i, err.Field)
			return err
		}
	}
	now := s.stamp()
	var note string // what the last merge changed, for the event
	merge := func(rec *sheetRecord) {
		pos := map[string]int{}
		for i, r := range rec.Ratings {
			pos[r.Statement] = i
		}
		var d ratingDiff
		for _, r := range ratings {
			if i, ok := pos[r.Statement]; ok {
				d.note(rec.Ratings[i], r)
				rec.Ratings[i] = r
			} else {
				pos[r.Statement] = len(rec.Ratings)
				rec.Ratings = append(rec.Ratings, r)
				d.added++
			}
		}
		if what := d.String(); what != "" {
			note = what
			rec.History = append(rec.History, cxkit.HistoryEntry{At: now, By: participant, Action: "rated", What: what})
		}
	}
	id := sheetID(a.ID, participant)
	rated := func(err error) error {
		if err == nil && note != "" {
			s.emit(ctx, cxkit.Event{Type: EventRated, Subject: a.ID, By: participant, Note: note})
		}
		return err
	}
	for range s.set.RetryAttempts {
		note = ""
		_, err = s.sheets.Mutate(ctx, id, func(rec *sheetRecord) error { note = ""; merge(rec); return nil })
		if !errors.Is(err, store.ErrNotFound) {
			return rated(err)
		}
		rec := sheetRecord{Meta: store.Meta{ID: id}, Assessment: a.ID, Participant: participant}
		note = ""
		merge(&rec)
		_, err = s.sheets.Create(ctx, rec)
		if !errors.Is(err, store.ErrAlreadyExists) {
			return rated(err)
		}
		// Another call created the sheet first: go round and merge into it.
	}
	return err
}

// Sheets streams the participants' sheets of an assessment, each with its
// history of rating changes.
func (s *Service) Sheets(ctx context.Context, assessmentID string) iter.Seq2[Sheet, error] {
	return func(yield func(Sheet, error) bool) {
		for rec, err := range s.sheets.All(ctx, store.Query{Filters: []store.Filter{store.Where("assessment", assessmentID)}, Limit: store.MaxLimit}) {
			if !yield(Sheet{Participant: rec.Participant, Ratings: rec.Ratings, History: rec.History}, err) || err != nil {
				return
			}
		}
	}
}

// Results scores an assessment as it stands.
func (s *Service) Results(ctx context.Context, assessmentID string) (*Results, error) {
	a, c, err := s.load(ctx, assessmentID)
	if err != nil {
		return nil, err
	}
	return s.results(ctx, a, c)
}

func (s *Service) results(ctx context.Context, a Assessment, c *Catalogue) (*Results, error) {
	sheets, err := collect(s.Sheets(ctx, a.ID))
	if err != nil {
		return nil, err
	}
	// Sheets come back in ID order, which hides arrival order; sort by the
	// participants' listed order so comments read the same every time.
	order := map[string]int{}
	for i, p := range a.Participants {
		order[p] = i
	}
	slices.SortFunc(sheets, func(x, y Sheet) int { return order[x.Participant] - order[y.Participant] })
	r, err := Score(c, a.Scale, sheets, ScoreOptions{DivergenceSD: a.DivergenceSD, Factors: a.Factors})
	if err != nil {
		return nil, err
	}
	r.Assessment = a.ID
	return r, nil
}

// Suggest proposes the "do well" and "do better" statements of one factor
// from the current results, as many as the assessment is configured for.
func (s *Service) Suggest(ctx context.Context, assessmentID, factor string) (wells, betters []Suggestion, err error) {
	a, c, err := s.load(ctx, assessmentID)
	if err != nil {
		return nil, nil, err
	}
	if !a.assesses(factor) {
		return nil, nil, invalidf("factor", "must be a factor assessed by %s (%s), got %q", a.ID, strings.Join(a.Factors, ", "), factor)
	}
	r, err := s.results(ctx, a, c)
	if err != nil {
		return nil, nil, err
	}
	return r.Suggest(factor, a.WellCount, a.BetterCount)
}

// A Choice is a statement the team puts on a list, with an optional note.
type Choice struct {
	Statement string
	Note      string
}

// Choose sets the team's list of one kind for one factor, replacing any
// earlier choice of that list. At most the configured count may be chosen
// (three by default); a statement must be in the factor, not repeated, and
// not on the other list of the factor. Each pick records whether it was
// among the suggestions, so overrides are visible.
func (s *Service) Choose(ctx context.Context, assessmentID, factor string, kind PickKind, by string, choices ...Choice) (_ Assessment, err error) {
	a, c, err := s.load(ctx, assessmentID)
	if err != nil {
		return Assessment{}, err
	}
	if !kind.valid() {
		return Assessment{}, invalidf("kind", "must be %q or %q, got %q", PickKindDoWell, PickKindDoBetter, kind)
	}
	if !a.assesses(factor) {
		return Assessment{}, invalidf("factor", "must be a factor assessed by %s (%s), got %q", a.ID, strings.Join(a.Factors, ", "), factor)
	}
	if n := a.limit(kind); len(choices) > n {
		return Assessment{}, invalidf(fmt.Sprintf("picks[%d]", n), "must not exist: factor %q takes at most %d %q statements, got %d", factor, n, kind, len(choices))
	}
	seen := map[string]bool{}
	for i, ch := range choices {
		at := fmt.Sprintf("picks[%d].statement", i)
		_, f, ok := c.Statement(ch.Statement)
		switch {
		case !ok || f.ID != factor:
			return Assessment{}, invalidf(at, "must be a statement of factor %q, got %q", factor, ch.Statement)
		case seen[ch.Statement]:
			return Assessment{}, invalidf(at, "must not repeat a statement, got %q twice", ch.Statement)
		}
		seen[ch.Statement] = true
	}
	other := PickKindDoWell
	if kind == PickKindDoWell {
		other = PickKindDoBetter
	}
	res, err := s.results(ctx, a, c)
	if err != nil {
		return Assessment{}, err
	}
	wells, betters, err := res.Suggest(factor, a.WellCount, a.BetterCount)
	if err != nil {
		return Assessment{}, err
	}
	suggested := map[string]bool{}
	list := wells
	if kind == PickKindDoBetter {
		list = betters
	}
	for _, sg := range list {
		suggested[sg.Statement] = true
	}
	picks := make([]Pick, len(choices))
	overridden := 0
	for i, ch := range choices {
		picks[i] = Pick{Factor: factor, Kind: kind, Statement: ch.Statement, Suggested: suggested[ch.Statement], Note: ch.Note}
		if !picks[i].Suggested {
			overridden++
		}
	}
	now := s.stamp()
	defer func() {
		if err == nil {
			s.emit(ctx, cxkit.Event{Type: EventPicksChosen, Subject: a.ID, By: by,
				Attrs: map[string]string{"factor": factor, "kind": string(kind)}})
		}
	}()
	return s.assessments.Mutate(ctx, a.ID, func(cur *Assessment) error {
		if cur.Status != StatusOpen {
			return invalidf("assessment.status", "must be open to change picks; assessment %s is %s", cur.ID, cur.Status)
		}
		for i, ch := range choices {
			for _, p := range cur.PicksFor(factor, other) {
				if p.Statement == ch.Statement {
					return invalidf(fmt.Sprintf("picks[%d].statement", i), "must not be on both lists; %q is already a %q pick", ch.Statement, other)
				}
			}
		}
		kept := cur.Picks[:0:0]
		for _, p := range cur.Picks {
			if p.Factor != factor || p.Kind != kind {
				kept = append(kept, p)
			}
		}
		cur.Picks = append(kept, picks...)
		what := fmt.Sprintf("chose %d %q statements for %s", len(picks), kind, factor)
		if overridden > 0 {
			what += fmt.Sprintf(" (%d not among the suggestions)", overridden)
		}
		cur.History = append(cur.History, cxkit.HistoryEntry{At: now, By: by, Action: "chose", What: what})
		return nil
	})
}

// AcceptSuggestions chooses the suggested statements for both lists of one
// factor.
func (s *Service) AcceptSuggestions(ctx context.Context, assessmentID, factor, by string) (Assessment, error) {
	wells, betters, err := s.Suggest(ctx, assessmentID, factor)
	if err != nil {
		return Assessment{}, err
	}
	toChoices := func(sg []Suggestion) []Choice {
		out := make([]Choice, len(sg))
		for i, x := range sg {
			out[i] = Choice{Statement: x.Statement}
		}
		return out
	}
	// Clear "better" first so a statement moving between lists never
	// trips the "not on both lists" rule half-way.
	if _, err := s.Choose(ctx, assessmentID, factor, PickKindDoBetter, by); err != nil {
		return Assessment{}, err
	}
	if _, err := s.Choose(ctx, assessmentID, factor, PickKindDoWell, by, toChoices(wells)...); err != nil {
		return Assessment{}, err
	}
	return s.Choose(ctx, assessmentID, factor, PickKindDoBetter, by, toChoices(betters)...)
}

// Close finalises an assessment: ratings and picks no longer change. Each
// assessed factor must have its full lists (the configured counts), or,
// when it has fewer scored statements than that, every scored statement on
// one list or the other, so that the workshop's output is complete.
func (s *Service) Close(ctx context.Context, assessmentID, by string) (_ Assessment, err error) {
	a, c, err := s.load(ctx, assessmentID)
	if err != nil {
		return Assessment{}, err
	}
	res, err := s.results(ctx, a, c)
	if err != nil {
		return Assessment{}, err
	}
	now := s.stamp()
	defer func() {
		if err == nil {
			s.emit(ctx, cxkit.Event{Type: EventClosed, Subject: a.ID, By: by, From: string(StatusOpen), To: string(StatusClosed),
				Attrs: map[string]string{"record": "assessment"}})
		}
	}()
	return s.assessments.Mutate(ctx, a.ID, func(cur *Assessment) error {
		if cur.Status != StatusOpen {
			return invalidf("assessment.status", "must be open to close; assessment %s is %s", cur.ID, cur.Status)
		}
		for _, f := range cur.Factors {
			// A list may be shorter than configured only when the factor
			// has too few scored statements to fill both lists.
			scored := 0
			for _, st := range res.factorStatements(f) {
				if st.N > 0 {
					scored++
				}
			}
			gotWell, gotBetter := len(cur.PicksFor(f, PickKindDoWell)), len(cur.PicksFor(f, PickKindDoBetter))
			full := gotWell == cur.WellCount && gotBetter == cur.BetterCount
			if !full && gotWell+gotBetter < scored {
				return invalidf("assessment.picks", "must hold %d %q and %d %q statements for factor %q before closing (or every scored statement), got %d and %d",
					cur.WellCount, PickKindDoWell, cur.BetterCount, PickKindDoBetter, f, gotWell, gotBetter)
			}
		}
		cur.Status = StatusClosed
		cur.History = append(cur.History, cxkit.HistoryEntry{At: now, By: by, Action: "closed", From: string(StatusOpen), To: string(StatusClosed), What: "closed"})
		return nil
	})
}
