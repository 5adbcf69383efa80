package assessment

import (
	"context"
	"errors"
	"github.com/cxkit/cxkit"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixture is a Service on a memory store with the mini catalogue and a
// clock the test moves.
type fixture struct {
	svc *Service
	d   *memory.Driver
	mu  sync.Mutex
	now time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{d: memory.New(), now: t0}
	svc, err := New(f.d, Config{Catalogues: []*Catalogue{loadMini(t)}}, WithClock(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func miniAssessment(factors ...string) Assessment {
	return Assessment{
		Catalogue: "mini", CatalogueVersion: "1", Team: "front desk",
		Period:       Period{From: t0, To: t0.AddDate(0, 1, 0)},
		Participants: []string{"ana", "ben", "cai"},
		Factors:      factors,
	}
}

func (f *fixture) create(t testing.TB, a Assessment) Assessment {
	t.Helper()
	a, err := f.svc.Create(context.Background(), a, "lead")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func wantInvalid(t *testing.T, err error, field, rule string) {
	t.Helper()
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *cxkit.ValidationError on %s", err, field)
	}
	if ve.Field != field || !strings.Contains(ve.Rule, rule) {
		t.Errorf("got %q, want field %q and rule containing %q", err, field, rule)
	}
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("%v does not wrap store.ErrInvalid", err)
	}
}

func (f *fixture) count(t testing.TB, kind string) int64 {
	t.Helper()
	gs, err := store.Count(context.Background(), f.d, kind, nil)
	if err != nil {
		t.Fatal(err)
	}
	return gs[0].Count
}

func TestCreateDefaultsAndRejects(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, miniAssessment("b", "a"))
	if !slices.Equal(a.Factors, []string{"a", "b"}) {
		t.Errorf("factors = %v, want catalogue order [a b]", a.Factors)
	}
	if a.Scale.ID != ScaleAgree5 || a.WellCount != 3 || a.BetterCount != 3 || a.Status != StatusOpen {
		t.Errorf("defaults: scale %q well %d better %d status %q", a.Scale.ID, a.WellCount, a.BetterCount, a.Status)
	}
	all := f.create(t, miniAssessment())
	if len(all.Factors) != 3 {
		t.Errorf("empty factors became %v, want all three", all.Factors)
	}

	tests := []struct {
		name        string
		edit        func(a *Assessment)
		field, rule string
	}{
		{"no team", func(a *Assessment) { a.Team = " " }, "assessment.team", "must not be empty"},
		{"period backwards", func(a *Assessment) { a.Period.To = a.Period.From }, "assessment.period", "must start before it ends"},
		{"no participants", func(a *Assessment) { a.Participants = nil }, "assessment.participants", "at least one"},
		{"duplicate participant", func(a *Assessment) { a.Participants = []string{"ana", "ana"} }, "assessment.participants[1]", "must be unique"},
		{"unknown factor", func(a *Assessment) { a.Factors = []string{"a", "zz"} }, "assessment.factors[1]", "must be a factor of catalogue mini@1"},
		{"negative picks", func(a *Assessment) { a.WellCount = -1 }, "assessment.well_count", "must not be negative"},
		{"bad scale", func(a *Assessment) { a.Scale = Scale{ID: "x", Points: []Point{{1, "one"}}} }, "assessment.scale.points", "at least two"},
		{"no catalogue", func(a *Assessment) { a.Catalogue = "" }, "assessment.catalogue", "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := miniAssessment()
			tt.edit(&a)
			_, err := f.svc.Create(context.Background(), a, "lead")
			wantInvalid(t, err, tt.field, tt.rule)
		})
	}
	if n := f.count(t, KindAssessment); n != 2 {
		t.Errorf("%d assessments stored, want 2: rejected ones must not be", n)
	}
	a = miniAssessment()
	a.CatalogueVersion = "9"
	if _, err := f.svc.Create(context.Background(), a, "lead"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown catalogue version: %v, want store.ErrNotFound", err)
	}
}

func TestRateValidatesBeforeWriting(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	tests := []struct {
		name        string
		who         string
		ratings     []Rating
		field, rule string
	}{
		{"rating outside the scale", "ana", []Rating{Rate("a1", 4), Rate("a2", 9)}, "ratings[1].score", "must be on the scale agree5"},
		{"statement not in the catalogue version", "ana", []Rating{Rate("a1", 4), Rate("x9", 3)}, "ratings[1].statement", "must be a statement of catalogue mini@1"},
		{"statement of a factor not assessed", "ana", []Rating{Rate("b1", 3)}, "ratings[0].statement", "must belong to a factor being assessed"},
		{"not a participant", "zoe", []Rating{Rate("a1", 4)}, "participant", "must be a participant"},
		{"no ratings", "ana", nil, "ratings", "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, f.svc.Rate(ctx, a.ID, tt.who, tt.ratings...), tt.field, tt.rule)
		})
	}
	if n := f.count(t, KindSheet); n != 0 {
		t.Fatalf("%d sheets stored after only bad ratings, want 0", n)
	}
	// A good rating, then a bad batch: the sheet keeps the good one only.
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 2)); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 5), Rate("a2", 0)); err == nil {
		t.Fatal("bad batch accepted")
	}
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a2", 3), Rate("a1", 4).WithComment("better lately")); err != nil {
		t.Fatal(err)
	}
	sheets, err := collect(f.svc.Sheets(ctx, a.ID))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rating{Rate("a1", 4).WithComment("better lately"), Rate("a2", 3)}
	if len(sheets) != 1 || !slices.Equal(sheets[0].Ratings, want) {
		t.Errorf("sheets = %+v, want one with %v", sheets, want)
	}
	if _, err := f.svc.Results(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("results of a missing assessment: %v", err)
	}
}

func TestRateConcurrently(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a", "b"))
	stmts := []string{"a1", "a2", "a3", "a4", "b1", "b2", "b3"}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, p := range a.Participants {
		for i, s := range stmts {
			// Several goroutines per participant, so first writes race on
			// the sheet's creation.
			wg.Go(func() { errs <- f.svc.Rate(ctx, a.ID, p, Rate(s, 1+i%5)) })
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.svc.Results(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Statements {
		if s.N != 3 {
			t.Errorf("%s has %d scores, want 3: a concurrent rating was lost", s.Statement, s.N)
		}
	}
	if n := f.count(t, KindSheet); n != 3 {
		t.Errorf("%d sheets, want one per participant", n)
	}
}

// rateMini gives the hand-computed ratings of score_test to a fresh
// assessment of factors a and b.
func rateMini(t *testing.T, f *fixture, a Assessment) {
	t.Helper()
	ctx := context.Background()
	for i, sh := range handSheets()[:3] {
		if err := f.svc.Rate(ctx, a.ID, a.Participants[i], sh.Ratings...); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWorkshopPicksAndClose(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a", "b"))
	rateMini(t, f, a)

	wells, betters, err := f.svc.Suggest(ctx, a.ID, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(wells) != 3 || len(betters) != 1 || betters[0].Statement != "a4" {
		t.Fatalf("suggestions = %+v / %+v", wells, betters)
	}
	// A fourth "do well" when three are configured.
	_, err = f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana", Choice{Statement: "a1"}, Choice{Statement: "a2"}, Choice{Statement: "a3"}, Choice{Statement: "a4"})
	wantInvalid(t, err, "picks[3]", "takes at most 3 \"well\" statements")
	tests := []struct {
		name        string
		factor      string
		kind        PickKind
		choices     []Choice
		field, rule string
	}{
		{"statement of another factor", "a", PickKindDoWell, []Choice{{Statement: "b1"}}, "picks[0].statement", "must be a statement of factor \"a\""},
		{"repeated statement", "a", PickKindDoBetter, []Choice{{Statement: "a4"}, {Statement: "a4"}}, "picks[1].statement", "must not repeat"},
		{"factor not assessed", "c", PickKindDoWell, []Choice{{Statement: "c1"}}, "factor", "must be a factor assessed"},
		{"unknown kind", "a", "meh", nil, "kind", "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Choose(ctx, a.ID, tt.factor, tt.kind, "ana", tt.choices...)
			wantInvalid(t, err, tt.field, tt.rule)
		})
	}
	got, _ := f.svc.Get(ctx, a.ID)
	if len(got.Picks) != 0 {
		t.Fatalf("rejected choices stored picks: %+v", got.Picks)
	}

	// The team overrides: a3 (divided opinions) goes to "do better".
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana", Choice{Statement: "a1"}, Choice{Statement: "a2"}); err != nil {
		t.Fatal(err)
	}
	got, err = f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "ana", Choice{Statement: "a4"}, Choice{Statement: "a3", Note: "split views: talk it through"})
	if err != nil {
		t.Fatal(err)
	}
	bp := got.PicksFor("a", PickKindDoBetter)
	if len(bp) != 2 || !bp[0].Suggested || bp[1].Suggested || bp[1].Note == "" {
		t.Errorf("better picks = %+v, want a4 suggested and a3 overridden with a note", bp)
	}
	if last := got.History[len(got.History)-1]; !strings.Contains(last.What, "1 not among the suggestions") || last.By != "ana" {
		t.Errorf("history does not record the override: %+v", last)
	}
	_, err = f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana", Choice{Statement: "a3"})
	wantInvalid(t, err, "picks[0].statement", "must not be on both lists")

	// Factor b is not done yet: b1 is its only scored statement.
	_, err = f.svc.Close(ctx, a.ID, "lead")
	wantInvalid(t, err, "assessment.picks", "must hold 3 \"well\" and 3 \"better\" statements for factor \"b\" before closing (or every scored statement), got 0 and 0")
	if _, err := f.svc.AcceptSuggestions(ctx, a.ID, "b", "lead"); err != nil {
		t.Fatal(err)
	}
	closed, err := f.svc.Close(ctx, a.ID, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if closed.Status != StatusClosed {
		t.Errorf("status = %q", closed.Status)
	}
	wantInvalid(t, f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 1)), "assessment.status", "must be open")
	_, err = f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana")
	wantInvalid(t, err, "assessment.status", "must be open")
}

func TestConfiguredPickCounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	as := miniAssessment("a", "b")
	as.WellCount, as.BetterCount = 1, 2
	a := f.create(t, as)
	rateMini(t, f, a)
	w, b, err := f.svc.Suggest(ctx, a.ID, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 1 || len(b) != 2 {
		t.Fatalf("got %d/%d suggestions, want 1/2", len(w), len(b))
	}
	_, err = f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana", Choice{Statement: "a1"}, Choice{Statement: "a2"})
	wantInvalid(t, err, "picks[1]", "at most 1")
	if _, err := f.svc.AcceptSuggestions(ctx, a.ID, "b", "lead"); err != nil {
		t.Fatal(err)
	}
	// Factor a has four scored statements: one "well" and one "better" is
	// neither the configured 1 + 2 nor every scored statement.
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "ana", Choice{Statement: "a1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "ana", Choice{Statement: "a4"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Close(ctx, a.ID, "lead")
	wantInvalid(t, err, "assessment.picks", "must hold 1 \"well\" and 2 \"better\" statements for factor \"a\"")
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "ana", Choice{Statement: "a4"}, Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Close(ctx, a.ID, "lead"); err != nil {
		t.Fatal(err)
	}
}

func TestActions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	due := t0.AddDate(0, 2, 0)
	good := Action{Assessment: a.ID, Statement: "a3", NeedsToHappen: "Agree one way of handling it", Initiate: "Draft the procedure", Owner: "ben", Due: due}
	// Only a "do better" pick takes an action: before the pick it is
	// refused, and so is a "do well" pick.
	_, err := f.svc.AddAction(ctx, good, "lead")
	wantInvalid(t, err, "action.statement", `must be a "better" pick of factor "a"`)
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoWell, "lead", Choice{Statement: "a1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}, Choice{Statement: "a4"}); err != nil {
		t.Fatal(err)
	}
	well := good
	well.Statement = "a1"
	_, err = f.svc.AddAction(ctx, well, "lead")
	wantInvalid(t, err, "action.statement", `must be a "better" pick`)

	tests := []struct {
		name        string
		edit        func(x *Action)
		field, rule string
	}{
		{"without owner", func(x *Action) { x.Owner = "" }, "action.owner", "must not be empty"},
		{"without due date", func(x *Action) { x.Due = time.Time{} }, "action.due", "must be set"},
		{"without what needs to happen", func(x *Action) { x.NeedsToHappen = "" }, "action.needs_to_happen", "must say"},
		{"without what I initiate", func(x *Action) { x.Initiate = "" }, "action.initiate", "must say"},
		{"without a statement", func(x *Action) { x.Statement = "" }, "action.statement", "must link"},
		{"statement not in catalogue", func(x *Action) { x.Statement = "q7" }, "action.statement", "must be a statement of catalogue mini@1"},
		{"statement of a factor not assessed", func(x *Action) { x.Statement = "b1" }, "action.statement", "must belong to a factor in scope"},
		{"factor contradicts statement", func(x *Action) { x.Factor = "b" }, "action.factor", "must be \"a\""},
		{"bad status", func(x *Action) { x.Status = "later" }, "action.status", "must be one of"},
		{"no source", func(x *Action) { x.Assessment = "" }, "action.assessment", "must name the assessment or the audit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := good
			tt.edit(&x)
			_, err := f.svc.AddAction(ctx, x, "lead")
			wantInvalid(t, err, tt.field, tt.rule)
		})
	}
	if n := f.count(t, KindAction); n != 0 {
		t.Fatalf("%d actions stored after only bad input", n)
	}
	if open, err := f.svc.UnactionedPicks(ctx, a.ID); err != nil || len(open) != 2 || open[0].Statement != "a3" || open[1].Statement != "a4" {
		t.Fatalf("UnactionedPicks before any action = %+v, %v; want a3, a4", open, err)
	}
	act, err := f.svc.AddAction(ctx, good, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if act.Factor != "a" || act.Catalogue != "mini" || act.CatalogueVersion != "1" || act.Status != ActionStatusOpen || len(act.History) != 1 {
		t.Errorf("stored action = %+v", act)
	}
	if open, err := f.svc.UnactionedPicks(ctx, a.ID); err != nil || len(open) != 1 || open[0].Statement != "a4" {
		t.Errorf("UnactionedPicks after acting on a3 = %+v, %v; want a4", open, err)
	}

	moves := []struct {
		to      ActionStatus
		why     string
		allowed bool
	}{
		{ActionStatusDone, "", true},
		{ActionStatusInProgress, "", false}, // done only reopens
		{ActionStatusOpen, "came back", true},
		{ActionStatusInProgress, "", true},
		{ActionStatusInProgress, "", false}, // no-op moves are not changes
		{ActionStatusDropped, "", false},    // dropping needs a reason
		{ActionStatusDropped, "superseded", true},
		{ActionStatusDone, "", false},
		{"finished", "", false},
	}
	for i, m := range moves {
		f.advance(time.Hour)
		got, err := f.svc.SetActionStatus(ctx, act.ID, m.to, "ben", m.why)
		if m.allowed != (err == nil) {
			t.Fatalf("move %d to %s: err = %v, allowed %v", i, m.to, err, m.allowed)
		}
		if err == nil && got.Status != m.to {
			t.Errorf("move %d: status %s", i, got.Status)
		}
		if !m.allowed && !errors.Is(err, store.ErrInvalid) && !errors.Is(err, cxkit.ErrTransition) {
			t.Errorf("move %d: %v is neither a validation error nor a refused transition", i, err)
		}
	}
	_, err = f.svc.SetActionStatus(ctx, act.ID, ActionStatusDone, "ben", "")
	var te *cxkit.TransitionError
	if !errors.Is(err, cxkit.ErrTransition) || !errors.As(err, &te) || te.From != string(ActionStatusDropped) {
		t.Errorf("dropped -> done: %v, want a TransitionError from dropped", err)
	}
	// a3's only action is dropped now, so the pick needs a new one.
	if open, err := f.svc.UnactionedPicks(ctx, a.ID); err != nil || len(open) != 2 {
		t.Errorf("UnactionedPicks after dropping = %+v, %v; want a3 and a4", open, err)
	}
	got, _ := f.svc.Action(ctx, act.ID)
	if len(got.History) != 5 || got.History[4].Why != "superseded" || !got.History[4].At.Equal(t0.Add(7*time.Hour)) {
		t.Errorf("history = %+v", got.History)
	}
	for _, flt := range []struct {
		f    ActionFilter
		want int
	}{{ActionFilter{Assessment: a.ID}, 1}, {ActionFilter{Owner: "ben", Status: ActionStatusDropped}, 1}, {ActionFilter{Owner: "ana"}, 0}, {ActionFilter{Statement: "a3"}, 1}} {
		got, err := collect(f.svc.Actions(ctx, flt.f))
		if err != nil || len(got) != flt.want {
			t.Errorf("Actions(%+v) = %d, %v; want %d", flt.f, len(got), err, flt.want)
		}
	}
}

func TestAddCatalogue(t *testing.T) {
	ctx := context.Background()
	d := memory.New()
	svc, err := New(d, Config{})
	if err != nil {
		t.Fatal(err)
	}
	mini := loadMini(t)
	if _, err := svc.Catalogue(ctx, "mini", "1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before adding: %v", err)
	}
	bad := *mini
	bad.Factors = nil
	if err := svc.AddCatalogue(ctx, &bad); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("adding an invalid catalogue: %v", err)
	}
	if err := svc.AddCatalogue(ctx, mini); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddCatalogue(ctx, mini); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("adding twice: %v, want ErrAlreadyExists", err)
	}
	// A second Service on the same store finds it without being told.
	svc2, _ := New(d, Config{})
	c, err := svc2.Catalogue(ctx, "mini", "1")
	if err != nil || c.Len() != 8 {
		t.Fatalf("second service: %v, %v", c, err)
	}
	a, err := svc2.Create(ctx, miniAssessment("a"), "lead")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc2.Rate(ctx, a.ID, "ana", Rate("a1", 5)); err != nil {
		t.Fatal(err)
	}
	cs, err := svc2.Catalogues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range cs {
		keys = append(keys, c.Key())
	}
	if !slices.Equal(keys, []string{"cxkit-audit@1.0.0", "cxkit-culture@1.0.0", "cxkit-factors@1.0.0", "mini@1"}) {
		t.Errorf("catalogues = %v", keys)
	}
	// Custom scale catalogues keep their scale across services.
	stars := Scale{ID: "stars3", Points: []Point{{1, "one star"}, {2, "two stars"}, {3, "three stars"}}}
	own, err := ParseCatalogue([]byte(catalogueJSONWith("stars3", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]}]`)), WithScales(stars))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddCatalogue(ctx, own); !errors.Is(err, ErrUnknownScale) {
		t.Errorf("adding without its scale: %v", err)
	}
	if err := svc.AddCatalogue(ctx, own, stars); err != nil {
		t.Fatal(err)
	}
	svc3, _ := New(d, Config{})
	oa := Assessment{Catalogue: "t", CatalogueVersion: "1", Team: "x", Period: Period{t0, t0.Add(time.Hour)}, Participants: []string{"p"}}
	oa, err = svc3.Create(ctx, oa, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if oa.Scale.ID != "stars3" {
		t.Errorf("scale = %q", oa.Scale.ID)
	}
	wantInvalid(t, svc3.Rate(ctx, oa.ID, "p", Rate("s1", 4)), "ratings[0].score", "must be on the scale stars3, from 1 (one star) to 3 (three stars)")
}

func TestAssessmentsByTeam(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for i, team := range []string{"front desk", "kitchen", "front desk"} {
		a := miniAssessment()
		a.Team = team
		a.Period.From = t0.AddDate(0, i, 0)
		a.Period.To = a.Period.From.AddDate(0, 1, 0)
		f.create(t, a)
	}
	got, err := collect(f.svc.Assessments(ctx, "front desk"))
	if err != nil || len(got) != 2 {
		t.Fatalf("front desk: %d, %v", len(got), err)
	}
	all, _ := collect(f.svc.Assessments(ctx, ""))
	if len(all) != 3 {
		t.Errorf("all: %d", len(all))
	}
}
