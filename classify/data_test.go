package classify

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// dataDir finds the shared labelled data: $CXKIT_DATA, or a shared/data
// directory found walking up from the package directory. Tests that need it
// skip, saying so, when it is absent.
func dataDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("CXKIT_DATA"); d != "" {
		return d
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "data")
		if st, err := os.Stat(filepath.Join(cand, "banking77")); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("labelled data not found: set CXKIT_DATA or place shared/data above the repository (see the data README)")
		}
		dir = parent
	}
}

func loadBanking(t testing.TB, file string) []Example {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir(t), "banking77", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []Example
	for _, r := range rows[1:] {
		out = append(out, Example{Text: r[0], Category: r[1]})
	}
	return out
}

// loadHotelFolds returns the NLU++ hotel utterances with exactly one
// hotel-domain intent, fold by fold, labelled with that intent.
func loadHotelFolds(t testing.TB) [][]Example {
	t.Helper()
	dir := filepath.Join(dataDir(t), "nlupp-hotels")
	var ont struct {
		Intents map[string]struct {
			Domain []string `json:"domain"`
		} `json:"intents"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "ontology.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ont); err != nil {
		t.Fatal(err)
	}
	hotel := map[string]bool{}
	for name, in := range ont.Intents {
		if slices.Contains(in.Domain, "hotels") {
			hotel[name] = true
		}
	}
	folds := make([][]Example, 20)
	for i := range folds {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("hotels_fold%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		var items []struct {
			Text    string   `json:"text"`
			Intents []string `json:"intents"`
		}
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			var hi []string
			for _, in := range it.Intents {
				if hotel[in] {
					hi = append(hi, in)
				}
			}
			if len(hi) == 1 {
				folds[i] = append(folds[i], Example{Text: it.Text, Category: hi[0]})
			}
		}
	}
	return folds
}

// score is accuracy and macro-averaged F1 over the categories present in
// the gold labels.
type score struct{ accuracy, macroF1 float64 }

func evaluate(c *Model, test []Example) score {
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	correct := 0
	for _, ex := range test {
		p := c.Predict(ex.Text).Category
		if p == ex.Category {
			correct++
			tp[p]++
		} else {
			fp[p]++
			fn[ex.Category]++
		}
	}
	return score{float64(correct) / float64(len(test)), macroF1(tp, fp, fn)}
}

func macroF1(tp, fp, fn map[string]int) float64 {
	gold := map[string]bool{}
	for k := range tp {
		gold[k] = true
	}
	for k := range fn {
		gold[k] = true
	}
	var sum float64
	for k := range gold {
		p := float64(tp[k]) / float64(max(tp[k]+fp[k], 1))
		r := float64(tp[k]) / float64(max(tp[k]+fn[k], 1))
		if p+r > 0 {
			sum += 2 * p * r / (p + r)
		}
	}
	return sum / float64(len(gold))
}

// crossValidate trains on 19 folds and tests on the 20th, for each fold,
// pooling the predictions.
func crossValidate(t testing.TB, folds [][]Example, opts TrainOptions) score {
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	correct, total := 0, 0
	for i := range folds {
		var train []Example
		for j, f := range folds {
			if j != i {
				train = append(train, f...)
			}
		}
		c, err := Train(train, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range folds[i] {
			p := c.Predict(ex.Text).Category
			total++
			if p == ex.Category {
				correct++
				tp[p]++
			} else {
				fp[p]++
				fn[ex.Category]++
			}
		}
	}
	return score{float64(correct) / float64(total), macroF1(tp, fp, fn)}
}
