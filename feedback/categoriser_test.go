package feedback

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store/memory"
)

func TestCategoriserRulesOverrideModel(t *testing.T) {
	model, err := classify.Train(hotelExamples, classify.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cz, err := compile(Config{Categories: hotelCategories, FallbackOwner: "gm", Threshold: 0.45, Rules: []Rule{
		// Deliberately odd: everything mentioning "soup" goes to the front
		// desk, against what the model learned.
		{ID: "soup-desk", Category: "front-desk", Phrases: []string{"soup"}},
		{ID: "dust", Category: "housekeeping", Phrases: []string{"under the bed"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		text   string
		want   string
		source Source
		rule   string
	}{
		{"The SOUP was cold", "front-desk", SourceRule, "soup-desk"},
		{"soups", "", SourceModel, ""}, // whole words only: "soups" is not "soup"
		{"dust Under The Bed", "housekeeping", SourceRule, "dust"},
		{"under a bed", "", SourceModel, ""}, // a phrase must match in order
		{"the meal was cold when room service brought it", "food", SourceModel, ""},
		{"qwerty", Uncategorised, SourceNone, ""},
	}
	for _, tt := range tests {
		c := categorise(ctx, cz, model, tt.text)
		if tt.source == SourceModel && c.Source == SourceNone {
			// Below the threshold is acceptable for a text the model barely
			// knows, but then it must say what it would have guessed.
			if c.Suggested == "" || c.Category != Uncategorised {
				t.Errorf("%q: %+v", tt.text, c)
			}
			continue
		}
		if c.Source != tt.source || (tt.want != "" && c.Category != tt.want) || c.Rule != tt.rule {
			t.Errorf("Categorise(%q) = %+v, want %s by %s %s", tt.text, c, tt.want, tt.source, tt.rule)
		}
		if c.Source == SourceModel && c.Confidence < cz.cfg.Threshold {
			t.Errorf("%q accepted below threshold: %+v", tt.text, c)
		}
	}
	onlyRules, err := compile(Config{Categories: hotelCategories, Rules: hotelRules(), FallbackOwner: "gm"})
	if err != nil {
		t.Fatal(err)
	}
	if c := categorise(ctx, onlyRules, nil, "the meal was cold"); c.Category != Uncategorised || c.Source != SourceNone {
		t.Errorf("rules only: %+v", c)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	model, _ := classify.Train([]classify.Example{{Text: "pool too cold", Category: "spa"}, {Text: "menu", Category: "food"}}, classify.TrainOptions{})
	tests := []struct {
		name    string
		cats    []string
		rules   []Rule
		model   Classifier
		thr     float64
		field   string
		unknown bool
	}{
		{"no categories", nil, nil, nil, 0, "config.categories", false},
		{"reserved", []string{"food", Uncategorised}, nil, nil, 0, "config.categories[1]", false},
		{"duplicate", []string{"food", "food"}, nil, nil, 0, "config.categories[1]", false},
		{"unknown rule category", hotelCategories, []Rule{{ID: "r", Category: "spa", Phrases: []string{"sauna"}}}, nil, 0, "config.rules[0].category", true},
		{"no phrases", hotelCategories, []Rule{{ID: "r", Category: "food"}}, nil, 0, "config.rules[0].phrases", false},
		{"punctuation phrase", hotelCategories, []Rule{{ID: "r", Category: "food", Phrases: []string{"!!"}}}, nil, 0, "config.rules[0].phrases[0]", false},
		{"blank id", hotelCategories, []Rule{{Category: "food", Phrases: []string{"x"}}}, nil, 0, "config.rules[0].id", false},
		{"duplicate id", hotelCategories, []Rule{{ID: "r", Category: "food", Phrases: []string{"x"}}, {ID: "r", Category: "food", Phrases: []string{"y"}}}, nil, 0, "config.rules[1].id", false},
		{"model category", hotelCategories, nil, model, 0, "classifier", true},
		{"threshold", hotelCategories, nil, nil, 1.5, "config.threshold", false},
		{"NaN threshold", hotelCategories, nil, nil, math.NaN(), "config.threshold", false},
		{"infinite threshold", hotelCategories, nil, nil, math.Inf(1), "config.threshold", false},
	}
	for _, tt := range tests {
		var opts []Option
		if tt.model != nil {
			opts = append(opts, WithClassifier(tt.model))
		}
		_, err := New(memory.New(), Config{Categories: tt.cats, Rules: tt.rules, FallbackOwner: "gm", Threshold: tt.thr}, opts...)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field || errors.Is(err, ErrUnknownCategory) != tt.unknown {
			t.Errorf("%s: %v, want field %s (unknown category %v)", tt.name, err, tt.field, tt.unknown)
			continue
		}
		// An error about a rule names the rule as the organisation wrote it.
		if strings.HasPrefix(tt.field, "config.rules[") && !strings.HasSuffix(tt.field, ".id") && !strings.Contains(ve.Rule, `rule "r"`) {
			t.Errorf("%s: %q does not name rule r", tt.name, ve.Rule)
		}
	}
	if _, err := New(nil, hotelConfig()); err == nil {
		t.Error("nil driver accepted")
	} else if ve := (*cxkit.ValidationError)(nil); !errors.As(err, &ve) || ve.Field != "driver" {
		t.Errorf("nil driver: %v", err)
	}
	if _, err := New(memory.New(), Config{Categories: hotelCategories, FallbackOwner: "gm", KindThreshold: math.NaN()}); err == nil {
		t.Error("NaN kind threshold accepted")
	}
}

func TestRoutingTable(t *testing.T) {
	rt, err := compile(hotelConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cat  string
		kind Kind
		want string
	}{
		{"food", KindComplaint, "chef"},
		{"food", KindCompliment, "chef"},
		{"housekeeping", KindComplaint, "executive housekeeper"},
		{"housekeeping", KindCompliment, "front-desk manager"},
		{"front-desk", KindQuestion, "front-desk manager"},
		{Uncategorised, KindComplaint, "general manager"},
	}
	for _, tt := range tests {
		if got := rt.owner(tt.cat, tt.kind); got != tt.want {
			t.Errorf("Owner(%s, %s) = %s, want %s", tt.cat, tt.kind, got, tt.want)
		}
	}
	bad := []struct {
		routes   []Route
		fallback string
		field    string
	}{
		{nil, " ", "config.fallback_owner"},
		{[]Route{{Category: "spa", Owner: "x"}}, "gm", "config.routes[0].category"},
		{[]Route{{Category: "food", Owner: ""}}, "gm", "config.routes[0].owner"},
		{[]Route{{Category: "food", Kind: "rant", Owner: "x"}}, "gm", "config.routes[0].kind"},
		{[]Route{{Category: "food", Owner: "x"}, {Category: "food", Owner: "y"}}, "gm", "config.routes[1]"},
	}
	for _, tt := range bad {
		err := Config{Categories: hotelCategories, Routes: tt.routes, FallbackOwner: tt.fallback}.Validate()
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%v/%q: %v, want field %s", tt.routes, tt.fallback, err, tt.field)
		}
	}
	err = Config{Categories: hotelCategories, Routes: []Route{{Category: "spa", Owner: "x"}}, FallbackOwner: "gm"}.Validate()
	if !errors.Is(err, ErrUnknownCategory) || !strings.Contains(err.Error(), `"spa"`) {
		t.Errorf("unknown category error: %v", err)
	}
}
