package strategy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// The organisation's declarations are plain JSON.
func ExampleLoadConfig() {
	cfg, err := strategy.LoadConfig(strings.NewReader(`{
	  "name": "Harbour Office Supplies",
	  "mission": "Keep the offices around the harbour supplied.",
	  "values": ["Keep our word"],
	  "goals": [{"id": "G1", "title": "Deliver every order on the promised day"}],
	  "culture": [{"name": "customer focus", "goals": ["G1"]}],
	  "periods": []
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Name, "-", cfg.Goals[0].Title, "- serves", cfg.Culture[0].Name)
	_, err = strategy.LoadConfig(strings.NewReader(`{"name": "x", "goals": [{"id": ""}], "periods": []}`))
	fmt.Println(err)
	// Output:
	// Harbour Office Supplies - Deliver every order on the promised day - serves customer focus
	// config.goals[0].id: must not be empty
}

// Approval needs a clean SMART review; the refusal says what is missing.
func ExampleService_Move() {
	ctx := context.Background()
	svc, err := strategy.New(memory.New(), strategy.Config{Goals: []strategy.Goal{{ID: "G1", Title: "Answer quickly"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := svc.Create(ctx, strategy.Strategy{Title: "Shorter call waits", Issue: "Improve things soon"}, "kim")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = svc.Move(ctx, s.ID, strategy.StageApproved, "board", "")
	var refused *cxkit.TransitionError
	if errors.As(err, &refused) {
		fmt.Println("refused:", refused.Step, "from", refused.From)
	}
	r, _ := svc.Check(ctx, s.ID)
	fmt.Println(len(r.Failed()), "findings not met, the first:", r.Failed()[0])
	// Output:
	// refused: approve from draft
	// 6 findings not met, the first: specific: NOT met: the issue is too vague ("Improve things soon" names nothing in particular); the scope, who or what is affected, is missing; no alternative is recommended
}

// A migration stores strategies from another system all at once, or none.
func ExampleService_CreateMany() {
	ctx := context.Background()
	svc, err := strategy.New(memory.New(), strategy.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = svc.CreateMany(ctx, []strategy.Strategy{{Title: "Shorter call waits"}, {Title: " "}}, "migration")
	fmt.Println(err)
	out, err := svc.CreateMany(ctx, []strategy.Strategy{{Title: "Shorter call waits"}, {Title: "Fewer returns"}}, "migration")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out), "stored as", out[0].Stage, "by", out[0].History[0].By)
	// Output:
	// strategies[1].title: must not be empty
	// 2 stored as draft by migration
}

// An action due before the chosen start cannot be the deadline: the draft
// leaves it to the author and says why.
func ExampleService_DraftFromAction() {
	svc, err := strategy.New(memory.New(), strategy.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := assessment.Action{Assessment: "a1", Factor: "planning", Statement: "planning-5",
		NeedsToHappen: "Know the most common causes of complaints. Review them monthly.",
		Initiate:      "A monthly Pareto with the team leaders", Owner: "Kim Wu",
		Due: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s, err := svc.DraftFromAction(context.Background(), a, strategy.DraftOptions{Start: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Title)
	fmt.Println(s.Origin.Note)
	// Output:
	// Know the most common causes of complaints
	// the action was due on 2026-12-01, which is not after the chosen start (2027-01-04), so the deadline is left for the author to set
}
