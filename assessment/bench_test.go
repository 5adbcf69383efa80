package assessment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cxkit/cxkit/store/memory"
)

// benchCatalogue has factors x perFactor statements.
func benchCatalogue(factors, perFactor int) *Catalogue {
	c := &Catalogue{ID: "bench", Version: "1", Title: "Bench", Scale: ScaleAgree5}
	for f := range factors {
		fac := Factor{ID: fmt.Sprintf("f%02d", f), Number: f + 1, Title: fmt.Sprintf("Factor %d", f+1)}
		for s := range perFactor {
			fac.Statements = append(fac.Statements, Statement{ID: fmt.Sprintf("f%02d-s%03d", f, s), Number: s + 1, Text: "A statement."})
		}
		c.Factors = append(c.Factors, fac)
	}
	return c
}

// benchSheets rates every statement by every participant, with about one
// answer in twenty "don't know" and one in fifty "not applicable".
func benchSheets(c *Catalogue, participants int) []Sheet {
	rng := rand.New(rand.NewPCG(1, 2))
	sheets := make([]Sheet, participants)
	for p := range sheets {
		sheets[p].Participant = fmt.Sprintf("p%03d", p)
		for _, f := range c.Factors {
			for _, s := range f.Statements {
				r := Rate(s.ID, 1+rng.IntN(5))
				switch x := rng.IntN(100); {
				case x < 5:
					r = RateDontKnow(s.ID)
				case x < 7:
					r = RateNA(s.ID)
				}
				sheets[p].Ratings = append(sheets[p].Ratings, r)
			}
		}
	}
	return sheets
}

// BenchmarkScore scores 200 participants x 200 statements (10 factors of
// 20) in memory: validation, per statement and per factor summaries,
// divergence flags and the profile.
func BenchmarkScore(b *testing.B) {
	c := benchCatalogue(10, 20)
	sheets := benchSheets(c, 200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(c, Agree5(), sheets, ScoreOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResults is BenchmarkScore through the Service on the memory
// store: reading the assessment and 200 sheets, decoding them, scoring.
func BenchmarkResults(b *testing.B) {
	ctx := context.Background()
	c := benchCatalogue(10, 20)
	svc, err := New(memory.New(), Config{Catalogues: []*Catalogue{c}})
	if err != nil {
		b.Fatal(err)
	}
	sheets := benchSheets(c, 200)
	a := Assessment{Catalogue: c.ID, CatalogueVersion: c.Version, Team: "t", Period: Period{t0, t0.AddDate(0, 1, 0)}}
	for _, s := range sheets {
		a.Participants = append(a.Participants, s.Participant)
	}
	a, err = svc.Create(ctx, a, "b")
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range sheets {
		if err := svc.Rate(ctx, a.ID, s.Participant, s.Ratings...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Results(ctx, a.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRate records one participant's 200 ratings in one call.
func BenchmarkRate(b *testing.B) {
	ctx := context.Background()
	c := benchCatalogue(10, 20)
	svc, err := New(memory.New(), Config{Catalogues: []*Catalogue{c}})
	if err != nil {
		b.Fatal(err)
	}
	sheet := benchSheets(c, 1)[0]
	a, err := svc.Create(ctx, Assessment{Catalogue: c.ID, CatalogueVersion: c.Version, Team: "t", Period: Period{t0, t0.AddDate(0, 1, 0)}, Participants: []string{sheet.Participant}}, "b")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := svc.Rate(ctx, a.ID, sheet.Participant, sheet.Ratings...); err != nil {
			b.Fatal(err)
		}
	}
}
