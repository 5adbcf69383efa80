package classify

import (
	"math"
	"strings"
	"testing"
	"unicode"
)

// centroid is the baseline the issue sets for small or imbalanced sets: a
// TF-IDF nearest-centroid classifier over lower-cased words (sublinear term
// frequency, smoothed IDF, L2-normalised vectors and centroids, cosine
// similarity). It is written here independently of the package's feature
// extraction, so a bug there cannot flatter the comparison.
type centroid struct {
	idf       map[string]float64
	labels    []string
	centroids []map[string]float64
}

func centroidTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func (c *centroid) vector(text string) map[string]float64 {
	tf := map[string]float64{}
	for _, w := range centroidTokens(text) {
		if _, ok := c.idf[w]; ok {
			tf[w]++
		}
	}
	var norm float64
	for w, n := range tf {
		tf[w] = (1 + math.Log(n)) * c.idf[w]
		norm += tf[w] * tf[w]
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for w := range tf {
			tf[w] /= norm
		}
	}
	return tf
}

func trainCentroid(train []Example) *centroid {
	df := map[string]int{}
	for _, ex := range train {
		seen := map[string]bool{}
		for _, w := range centroidTokens(ex.Text) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	c := &centroid{idf: map[string]float64{}}
	n := float64(len(train))
	for w, d := range df {
		c.idf[w] = math.Log((1+n)/(1+float64(d))) + 1
	}
	index := map[string]int{}
	for _, ex := range train {
		i, ok := index[ex.Category]
		if !ok {
			i = len(c.labels)
			index[ex.Category] = i
			c.labels = append(c.labels, ex.Category)
			c.centroids = append(c.centroids, map[string]float64{})
		}
		for w, v := range c.vector(ex.Text) {
			c.centroids[i][w] += v
		}
	}
	for _, m := range c.centroids {
		var norm float64
		for _, v := range m {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for w := range m {
			m[w] /= norm
		}
	}
	return c
}

func (c *centroid) predict(text string) string {
	v := c.vector(text)
	best, bestSim := 0, math.Inf(-1)
	for i, m := range c.centroids {
		var sim float64
		for w, x := range v {
			sim += x * m[w]
		}
		if sim > bestSim {
			best, bestSim = i, sim
		}
	}
	return c.labels[best]
}

func centroidAccuracy(train, test []Example) float64 {
	c := trainCentroid(train)
	correct := 0
	for _, ex := range test {
		if c.predict(ex.Text) == ex.Category {
			correct++
		}
	}
	return float64(correct) / float64(len(test))
}

// TestSmallImbalancedAccuracyVsCentroid checks the bar for small or
// imbalanced sets: the classifier must be at least as accurate as TF-IDF
// nearest centroid on the same split. Three sets: Banking77 with only ten
// training examples per category (small), Banking77 with 2 to 40 per
// category (imbalanced, a twentyfold spread), and the NLU++ hotel items in
// 20-fold cross-validation (small and naturally imbalanced).
func TestSmallImbalancedAccuracyVsCentroid(t *testing.T) {
	heavy(t)
	train, test := loadBanking(t, "train.csv"), loadBanking(t, "test.csv")
	byCat := map[string][]Example{}
	var order []string
	for _, ex := range train {
		if _, ok := byCat[ex.Category]; !ok {
			order = append(order, ex.Category)
		}
		byCat[ex.Category] = append(byCat[ex.Category], ex)
	}
	var small, imbalanced []Example
	for i, c := range order {
		small = append(small, byCat[c][:10]...)
		// Category i keeps 2 + (i*38/76) examples: 2 for the first, 40 for
		// the last, in a fixed, data-independent order.
		imbalanced = append(imbalanced, byCat[c][:2+i*38/(len(order)-1)]...)
	}
	for _, set := range []struct {
		name  string
		train []Example
	}{{"Banking77, 10 per category", small}, {"Banking77, 2 to 40 per category", imbalanced}} {
		c, err := Train(set.train, TrainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := evaluate(c, test)
		base := centroidAccuracy(set.train, test)
		t.Logf("%s (%d examples): accuracy %.4f, macro-F1 %.4f; nearest centroid %.4f", set.name, len(set.train), got.accuracy, got.macroF1, base)
		if got.accuracy < base {
			t.Errorf("%s: accuracy %.4f below nearest centroid %.4f", set.name, got.accuracy, base)
		}
	}

	folds := loadHotelFolds(t)
	correct, total := 0, 0
	for i := range folds {
		var tr []Example
		for j, f := range folds {
			if j != i {
				tr = append(tr, f...)
			}
		}
		c := trainCentroid(tr)
		for _, ex := range folds[i] {
			total++
			if c.predict(ex.Text) == ex.Category {
				correct++
			}
		}
	}
	base := float64(correct) / float64(total)
	got := crossValidate(t, folds, TrainOptions{})
	t.Logf("NLU++ hotels, 20-fold: accuracy %.4f; nearest centroid %.4f", got.accuracy, base)
	if got.accuracy < base {
		t.Errorf("hotels: accuracy %.4f below nearest centroid %.4f", got.accuracy, base)
	}
}
