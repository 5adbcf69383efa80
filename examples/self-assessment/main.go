// Command self-assessment runs a self-assessment workshop for one team on
// two factors with five participants, on the embedded file store: everyone
// rates the statements, the program prints the results, the three things
// the team does well and the three it could do better in each factor, and
// the actions agreed for the things to do better.
//
//	go run ./examples/self-assessment              # in a temporary directory
//	go run ./examples/self-assessment -dir ./data  # keep the store; a second run is compared with the first
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store/file"
)

const team = "Harbour Hotel front office"

var (
	factors      = []string{"leadership", "policy-standards"}
	participants = []string{"Amira", "Bruno", "Chen", "Dana", "Eli"}
)

func main() {
	dir := flag.String("dir", "", "store directory (default: a temporary one, removed at exit)")
	seed := flag.Uint64("seed", 7, "seed for the simulated ratings")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *dir, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "self-assessment:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, dir string, seed uint64) (err error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "cxkit-self-assessment-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	d, err := file.Open(dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, d.Close()) }()
	svc, err := assessment.New(d, assessment.Config{})
	if err != nil {
		return err
	}
	cat, err := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
	if err != nil {
		return err
	}

	// A previous run on the same directory is the baseline to compare with.
	var previous *assessment.Assessment
	for a, err := range svc.Assessments(ctx, team) {
		if err != nil {
			return err
		}
		previous = &a
	}

	now := time.Now().UTC()
	a, err := svc.Create(ctx, assessment.Assessment{
		Catalogue: cat.ID, CatalogueVersion: cat.Version,
		Team:         team,
		Period:       assessment.Period{From: now, To: now.AddDate(0, 0, 14)},
		Participants: participants,
		Factors:      factors,
	}, "Amira")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Self-assessment, %s to %s\nTeam: %s   Catalogue: %s %s   Store: %s\n", a.Period.From.Format("2 Jan 2006"), a.Period.To.Format("2 Jan 2006"), a.Team, cat.Title, cat.Version, dir)

	if err := rateEveryone(ctx, svc, cat, a, seed); err != nil {
		return err
	}
	res, err := svc.Results(ctx, a.ID)
	if err != nil {
		return err
	}
	printResults(w, cat, res)

	for _, f := range factors {
		if _, err := svc.AcceptSuggestions(ctx, a.ID, f, "Amira"); err != nil {
			return err
		}
	}
	a, err = svc.Get(ctx, a.ID)
	if err != nil {
		return err
	}
	if err := printPicksAndAgreeActions(ctx, w, svc, cat, a, now); err != nil {
		return err
	}
	if a, err = svc.Close(ctx, a.ID, "Amira"); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe %s assessment is %s.\n", a.Team, a.Status)

	if previous != nil {
		re, err := svc.Reassess(ctx, previous.ID, a.ID, 0)
		if err != nil {
			return err
		}
		printReassessment(w, re)
	}
	return nil
}

// rateEveryone simulates the five participants: each statement has a level
// the team shares, each person their own leaning, and now and then someone
// does not know or finds a statement not applicable.
func rateEveryone(ctx context.Context, svc *assessment.Service, cat *assessment.Catalogue, a assessment.Assessment, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 2026))
	levels := map[string]float64{}
	for _, fid := range a.Factors {
		f, _ := cat.Factor(fid)
		for _, s := range f.Statements {
			levels[s.ID] = 1.8 + 2.8*rng.Float64()
		}
	}
	for pi, p := range a.Participants {
		leaning := []float64{0.3, -0.2, 0, 0.4, -0.5}[pi]
		var rs []assessment.Rating
		for _, fid := range a.Factors {
			f, _ := cat.Factor(fid)
			for _, s := range f.Statements {
				switch x := rng.IntN(100); {
				case x < 4:
					rs = append(rs, assessment.RateDontKnow(s.ID))
					continue
				case x < 6:
					rs = append(rs, assessment.RateNA(s.ID))
					continue
				}
				v := int(levels[s.ID] + leaning + rng.NormFloat64()*0.8 + 0.5)
				v = min(5, max(1, v))
				r := assessment.Rate(s.ID, v)
				if v == 1 {
					r = r.WithComment("this hardly ever happens here")
				}
				rs = append(rs, r)
			}
		}
		if err := svc.Rate(ctx, a.ID, p, rs...); err != nil {
			return err
		}
	}
	return nil
}

func short(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndex(text[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return text[:cut] + "…"
}

func printResults(w io.Writer, cat *assessment.Catalogue, res *assessment.Results) {
	fmt.Fprintf(w, "\n%d participants answered. Scale: %s. Flag: opinions differ when sd >= %.2f.\n", res.Participants, res.Scale.ID, res.DivergenceSD)
	for _, fr := range res.Factors {
		fmt.Fprintf(w, "\n%d. %s\n", fr.Number, fr.Title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "#\tstatement\tmean\tmedian\tsd\trange\tn\tdon't know\t")
		for _, s := range res.Statements {
			if s.Factor != fr.Factor {
				continue
			}
			flag := ""
			if s.Divergent {
				flag = "  <- opinions differ"
			}
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.1f\t%.2f\t%d-%d\t%d\t%.0f%%\t%s\n", s.Number, short(s.Text, 48), s.Mean, s.Median, s.StdDev, s.Min, s.Max, s.N, 100*s.DontKnowShare, flag)
		}
		tw.Flush()
		fmt.Fprintf(w, "Factor: mean %.2f, median %.1f, sd %.2f, %d scores of %d answers, %.0f%% don't know\n",
			fr.Mean, fr.Median, fr.StdDev, fr.N, fr.Responses, 100*fr.DontKnowShare)
		if len(fr.Divergent) > 0 {
			fmt.Fprintf(w, "Talk these through first (most divided first): %s\n", strings.Join(fr.Divergent, ", "))
		}
	}
	title := func(id string) string { f, _ := cat.Factor(id); return f.Title }
	fmt.Fprintf(w, "\nProfile: strongest %q, weakest %q\n", title(res.Profile.Strongest), title(res.Profile.Weakest))
}

func printPicksAndAgreeActions(ctx context.Context, w io.Writer, svc *assessment.Service, cat *assessment.Catalogue, a assessment.Assessment, now time.Time) error {
	owners := map[string]string{}
	for i, id := range a.Factors {
		f, _ := cat.Factor(id)
		wells, betters, err := svc.Suggest(ctx, a.ID, id)
		if err != nil {
			return err
		}
		reasons := map[string]string{}
		for _, s := range append(wells, betters...) {
			reasons[s.Statement] = s.Reason
		}
		fmt.Fprintf(w, "\n== %s ==\n", f.Title)
		for _, kind := range []assessment.PickKind{assessment.PickKindDoWell, assessment.PickKindDoBetter} {
			label := "Three things we do well"
			if kind == assessment.PickKindDoBetter {
				label = "Three things to do better"
			}
			fmt.Fprintln(w, label+":")
			for _, p := range a.PicksFor(id, kind) {
				s, _, _ := cat.Statement(p.Statement)
				fmt.Fprintf(w, "  %2d. %s\n      (%s)\n", s.Number, s.Text, reasons[p.Statement])
			}
		}
		// For each thing to do better: what needs to happen, what I will
		// initiate.
		for k, p := range a.PicksFor(id, assessment.PickKindDoBetter) {
			owner := participants[(i*3+k)%len(participants)]
			s, _, _ := cat.Statement(p.Statement)
			act, err := svc.AddAction(ctx, assessment.Action{
				Assessment:    a.ID,
				Statement:     p.Statement,
				NeedsToHappen: fmt.Sprintf("Agree, as a team, what good looks like for statement %d and check it weekly", s.Number),
				Initiate:      fmt.Sprintf("%s puts it on the agenda of the next team briefing", owner),
				Owner:         owner,
				Due:           now.AddDate(0, 0, 30+15*k).Truncate(24 * time.Hour),
			}, "Amira")
			if err != nil {
				return err
			}
			owners[act.ID] = owner
		}
	}
	open, err := svc.UnactionedPicks(ctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n\"Do better\" picks still without an action: %d\n", len(open))
	fmt.Fprintln(w, "\nActions:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "statement\towner\tdue\tstatus\twhat needs to happen / what I will initiate")
	for act, err := range svc.Actions(ctx, assessment.ActionFilter{Assessment: a.ID}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %s\n", act.Statement, act.Owner, act.Due.Format(time.DateOnly), act.Status, act.NeedsToHappen, act.Initiate)
	}
	return tw.Flush()
}

func printReassessment(w io.Writer, re *assessment.Reassessment) {
	fmt.Fprintf(w, "\nCompared with %s (confidence %.0f%%):\n", re.Before, 100*re.Confidence)
	for _, f := range re.Factors {
		fmt.Fprintf(w, "  %s: %.2f -> %.2f (%s, p=%.3f)\n", f.Factor, f.Before.Mean, f.After.Mean, f.Direction(), f.P)
	}
	big := re.LargerThanNoise()
	fmt.Fprintf(w, "  changes larger than noise: %d\n", len(big))
	for _, c := range big {
		what := c.Factor
		if c.Statement != "" {
			what = c.Statement
		}
		fmt.Fprintf(w, "    %s: %+.2f (%s, p=%.3f)\n", what, c.Delta, c.Direction(), c.P)
	}
	for _, p := range re.Actions {
		change := "not rated again"
		if p.Change != nil {
			change = fmt.Sprintf("%+.2f, %s", p.Change.Delta, p.Change.Direction())
		}
		fmt.Fprintf(w, "  action on %s (%s, %s): %s; still to improve: %v\n", p.Action.Statement, p.Action.Owner, p.Action.Status, change, p.StillToImprove)
	}
}
