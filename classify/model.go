package classify

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// An Example is a text with the category a person gave it: the unit of
// training data.
type Example struct {
	Text     string
	Category string
}

// TrainOptions tune Train. The zero value gives the defaults, which were
// chosen on Banking77 and the NLU++ hotel items (see the package
// documentation); change them only with a measurement in hand.
type TrainOptions struct {
	// Epochs over the training set; default 20.
	Epochs int
	// LearningRate is the starting step size, decayed linearly to zero;
	// default 0.5.
	LearningRate float64
	// L2 is the weight decay applied to the rows a step touches; default
	// 1e-6.
	L2 float64
	// NoBigrams turns off pairs of adjacent words as features.
	NoBigrams bool
	// NoStemming turns off the suffix stripping of words.
	NoStemming bool
	// NoCharGrams turns off the character 5-grams of each word, which let
	// the model recognise misspelt and unseen forms of words it knows
	// (they gain about 1.7 points on Banking77 and 3.5 on the NLU++ hotel
	// items, and cost about 1.6 times the prediction time).
	NoCharGrams bool
	// Unweighted turns off the default weighting of each category by the
	// inverse of its frequency. The weighting keeps a category with many
	// examples from drowning the rare ones (it gains about 2.5 points of
	// accuracy on the imbalanced NLU++ hotel items and costs nothing on the
	// balanced Banking77).
	Unweighted bool
	// Seed makes the shuffling of examples, and so the model, reproducible;
	// default 1.
	Seed uint64
}

// check refuses options that are not numbers: a NaN learning rate would
// otherwise slip past every comparison and train a model of NaNs.
func (o TrainOptions) check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"learning_rate", o.LearningRate}, {"l2", o.L2}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return invalidf("train_options."+f.name, "must be a finite number, got %g", f.v)
		}
	}
	return nil
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs <= 0 {
		o.Epochs = 20
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.5
	}
	if o.L2 < 0 {
		o.L2 = 0
	} else if o.L2 == 0 {
		o.L2 = 1e-6
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// A Model predicts a text's category: TF-IDF weighted words, word pairs and
// character 5-grams, L2-normalised, scored by a multinomial logistic regression. Its
// confidence is the softmax probability of the winning category, capped by
// how much of the text's wording the model met in training (see
// Prediction).
//
// A Model is immutable once trained or loaded and safe for concurrent use;
// to learn from corrections, train a new one.
type Model struct {
	labels  []string
	bigrams bool
	stem    bool
	chars   bool
	vocab   map[uint64]int32
	idf     []float32
	w       []float32 // len(idf) rows of len(labels) weights
	b       []float32
	pool    sync.Pool
}

// scratch is one prediction's working memory, pooled so that Predict
// allocates nothing.
type scratch struct {
	ex     extractor
	idx    []int32
	val    []float32
	scores []float32
	sum    []float32 // the weighted sum of a long text's windows
}

// Categories returns the categories the classifier knows, sorted.
func (c *Model) Categories() []string { return slices.Clone(c.labels) }

// Features returns the size of the vocabulary (distinct words and word
// pairs) the classifier learned.
func (c *Model) Features() int { return len(c.idf) }

// sparse is a TF-IDF vector: sorted feature indexes and their values.
type sparse struct {
	idx []int32
	val []float32
}

// Train learns a model from examples. It fails with a
// *cxkit.ValidationError when there are no examples, a text is empty, a
// category is blank or an option is not a finite number.
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if len(examples) == 0 {
		return nil, invalidf("training set", "must have at least one example")
	}
	labelIdx := map[string]int{}
	for i, ex := range examples {
		if err := CheckCategory(fmt.Sprintf("training set[%d].category", i), ex.Category); err != nil {
			return nil, err
		}
		if strings.TrimSpace(ex.Text) == "" {
			return nil, invalidf(fmt.Sprintf("training set[%d].text", i), "must not be blank")
		}
		labelIdx[ex.Category] = 0
	}
	labels := make([]string, 0, len(labelIdx))
	for l := range labelIdx {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for i, l := range labels {
		labelIdx[l] = i
	}
	c := &Model{labels: labels, bigrams: !opts.NoBigrams, stem: !opts.NoStemming, chars: !opts.NoCharGrams}

	// Vocabulary and document frequencies.
	ex := extractor{bigrams: c.bigrams, stem: c.stem, chars: c.chars}
	docKeys := make([][]uint64, len(examples))
	df := map[uint64]int{}
	for i, e := range examples {
		// Training reads the whole text, window after window, as
		// prediction does.
		var keys []uint64
		for rest := e.Text; ; {
			var k []uint64
			k, rest = ex.extract(rest)
			keys = append(keys, k...)
			if rest == "" {
				break
			}
		}
		slices.Sort(keys)
		docKeys[i] = keys
		for j, k := range keys {
			if j == 0 || keys[j-1] != k {
				df[k]++
			}
		}
	}
	keys := make([]uint64, 0, len(df))
	for k := range df {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a deterministic feature order, so models are reproducible
	c.vocab = make(map[uint64]int32, len(keys))
	c.idf = make([]float32, len(keys))
	n := float64(len(examples))
	for i, k := range keys {
		c.vocab[k] = int32(i)
		c.idf[i] = float32(math.Log((1+n)/(1+float64(df[k]))) + 1)
	}

	docs := make([]sparse, len(examples))
	y := make([]int, len(examples))
	for i, dk := range docKeys {
		docs[i] = c.vectorise(dk, nil, nil)
		y[i] = labelIdx[examples[i].Category]
	}
	weights := make([]float32, len(labels))
	for i := range weights {
		weights[i] = 1
	}
	if !opts.Unweighted {
		counts := make([]int, len(labels))
		for _, l := range y {
			counts[l]++
		}
		for i, k := range counts {
			weights[i] = float32(n / (float64(len(labels)) * float64(k)))
		}
	}
	c.fit(docs, y, weights, opts)
	return c, nil
}

// vectorise turns sorted keys into a TF-IDF vector (sublinear term
// frequency, L2-normalised), appending to idx and val. Unknown keys are
// dropped.
func (c *Model) vectorise(keys []uint64, idx []int32, val []float32) sparse {
	idx, val = idx[:0], val[:0]
	for _, k := range keys {
		if f, ok := c.vocab[k]; ok {
			idx = append(idx, f)
		}
	}
	slices.Sort(idx)
	out := 0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && idx[j] == idx[i] {
			j++
		}
		tf := float32(1)
		if j-i > 1 {
			tf += float32(math.Log(float64(j - i)))
		}
		idx[out] = idx[i]
		val = append(val, tf*c.idf[idx[i]])
		out++
		i = j
	}
	idx = idx[:out]
	var norm float32
	for _, v := range val {
		norm += v * v
	}
	if norm > 0 {
		inv := 1 / float32(math.Sqrt(float64(norm)))
		for i := range val {
			val[i] *= inv
		}
	}
	return sparse{idx: idx, val: val}
}

// fit runs stochastic gradient descent on the softmax cross-entropy, one
// example at a time, with a learning rate decaying linearly to zero.
func (c *Model) fit(docs []sparse, y []int, weights []float32, opts TrainOptions) {
	k := len(c.labels)
	c.w = make([]float32, len(c.idf)*k)
	c.b = make([]float32, k)
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	p := make([]float32, k)
	total := float64(opts.Epochs * len(docs))
	step := 0.0
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, d := range order {
			lr := float32(opts.LearningRate * (1 - step/total))
			step++
			doc := docs[d]
			c.scoreInto(doc.idx, doc.val, p)
			softmax(p)
			p[y[d]] -= 1
			cw := weights[y[d]]
			for j := range p {
				p[j] *= cw * lr
			}
			decay := 1 - lr*float32(opts.L2)
			for i, f := range doc.idx {
				decayAxpy(c.w[int(f)*k:int(f)*k+k], p, decay, doc.val[i])
			}
			for j := range c.b {
				c.b[j] -= p[j]
			}
		}
	}
}

// scoreInto writes the raw category scores of a vector into s.
func (c *Model) scoreInto(idx []int32, val []float32, s []float32) {
	k := len(c.labels)
	copy(s, c.b)
	s = s[:k]
	for i, f := range idx {
		axpy(s, c.w[int(f)*k:int(f)*k+k], val[i])
	}
}

func (c *Model) getScratch() *scratch {
	if s, ok := c.pool.Get().(*scratch); ok {
		return s
	}
	k := len(c.labels)
	return &scratch{ex: extractor{bigrams: c.bigrams, stem: c.stem, chars: c.chars}, scores: make([]float32, k), sum: make([]float32, k)}
}

// A Prediction is a category with the model's confidence in it.
type Prediction struct {
	Category string
	// Confidence (0 to 1) is the lower of Probability and Familiarity: a
	// model can be sure among its categories only about a text it
	// recognises. An empty text, emoji, or a language the model was not
	// trained on has Familiarity near 0 and so a confidence near 0,
	// whatever the number of categories; a one-category model never gives
	// 1.
	Confidence float64
	// Probability is the softmax probability of Category among the
	// model's categories.
	Probability float64
	// Familiarity is the share of the text's words the model met in
	// training, smoothed so that it stays below 1 (n known words of n give
	// n/(n+0.5)); 0 for a text without words.
	Familiarity float64
}

// Classify is Predict behind the shape a categoriser service calls (a
// host's own model, an embedding service or a language model answer the
// same call and can fail; this one cannot).
func (c *Model) Classify(_ context.Context, text string) (Prediction, error) {
	return c.Predict(text), nil
}

// Predict returns the most probable category of text. A text with no word
// the model knows gets a confidence near 0, which is what sends it to a
// person.
//
// A text is read in windows of MaxWindowWords words; a longer text is
// judged on every window, each window's probabilities weighted by the
// number of its words the model knows, so the end of a long letter counts
// as much as its start.
func (c *Model) Predict(text string) Prediction {
	s := c.getScratch()
	best, fam := c.probabilities(s, text)
	p := float64(s.scores[best])
	pr := Prediction{Category: c.labels[best], Probability: p, Familiarity: fam, Confidence: min(p, fam)}
	c.pool.Put(s)
	return pr
}

// Probabilities returns every category's probability for text, in the
// order of Categories.
func (c *Model) Probabilities(text string) []float64 {
	s := c.getScratch()
	c.probabilities(s, text)
	out := make([]float64, len(s.scores))
	for i, v := range s.scores {
		out[i] = float64(v)
	}
	c.pool.Put(s)
	return out
}

// probabilities fills s.scores and returns the index of the best category
// and the text's familiarity.
func (c *Model) probabilities(s *scratch, text string) (int, float64) {
	words, known, windows := 0, 0, 0
	for {
		keys, rest := s.ex.extract(text)
		w, k := len(s.ex.uni), c.known(s.ex.uni)
		text = rest
		if w == 0 && windows > 0 {
			if rest == "" {
				break
			}
			continue // trailing punctuation after a full window
		}
		words += w
		known += k
		windows++
		v := c.vectorise(keys, s.idx, s.val)
		s.idx, s.val = v.idx, v.val
		c.scoreInto(v.idx, v.val, s.scores)
		softmax(s.scores)
		if rest == "" && windows == 1 {
			break // the common case: one window, nothing to combine
		}
		if windows == 1 {
			clear(s.sum)
		}
		wt := float32(max(k, 1))
		for i, p := range s.scores {
			s.sum[i] += wt * p
		}
		if rest == "" {
			break
		}
	}
	if windows > 1 {
		var total float32
		for _, p := range s.sum {
			total += p
		}
		for i, p := range s.sum {
			s.scores[i] = p / total
		}
	}
	best := 0
	for i, p := range s.scores {
		if p > s.scores[best] {
			best = i
		}
	}
	fam := 0.0
	if words > 0 {
		fam = float64(known) / (float64(words) + 0.5)
	}
	return best, fam
}

// known counts the keys that are in the vocabulary.
func (c *Model) known(keys []uint64) int {
	n := 0
	for _, k := range keys {
		if _, ok := c.vocab[k]; ok {
			n++
		}
	}
	return n
}
