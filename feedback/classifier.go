package feedback

import (
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

// A Classifier predicts a text's category: TF-IDF weighted words and word
// pairs, L2-normalised, scored by a multinomial logistic regression. Its
// confidence is the softmax probability of the winning category.
//
// A Classifier is immutable once trained or loaded and safe for concurrent
// use; to learn from corrections, train a new one.
type Classifier struct {
	labels  []string
	bigrams bool
	stem    bool
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
}

// Categories returns the categories the classifier knows, sorted.
func (c *Classifier) Categories() []string { return slices.Clone(c.labels) }

// Features returns the size of the vocabulary (distinct words and word
// pairs) the classifier learned.
func (c *Classifier) Features() int { return len(c.idf) }

// sparse is a TF-IDF vector: sorted feature indexes and their values.
type sparse struct {
	idx []int32
	val []float32
}

// Train learns a classifier from examples. It fails with an error wrapping
// ErrInvalid when there are no examples, a text is empty or a category is
// blank.
func Train(examples []Example, opts TrainOptions) (*Classifier, error) {
	opts = opts.withDefaults()
	if len(examples) == 0 {
		return nil, invalidf("training set", "must have at least one example")
	}
	labelIdx := map[string]int{}
	for i, ex := range examples {
		if err := checkCategoryName(fmt.Sprintf("training set[%d].category", i), ex.Category); err != nil {
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
	c := &Classifier{labels: labels, bigrams: !opts.NoBigrams, stem: !opts.NoStemming}

	// Vocabulary and document frequencies.
	ex := extractor{bigrams: c.bigrams, stem: c.stem}
	docKeys := make([][]uint64, len(examples))
	df := map[uint64]int{}
	for i, e := range examples {
		keys := slices.Clone(ex.extract(e.Text))
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
func (c *Classifier) vectorise(keys []uint64, idx []int32, val []float32) sparse {
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
func (c *Classifier) fit(docs []sparse, y []int, weights []float32, opts TrainOptions) {
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
func (c *Classifier) scoreInto(idx []int32, val []float32, s []float32) {
	k := len(c.labels)
	copy(s, c.b)
	s = s[:k]
	for i, f := range idx {
		axpy(s, c.w[int(f)*k:int(f)*k+k], val[i])
	}
}

func (c *Classifier) getScratch() *scratch {
	if s, ok := c.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{ex: extractor{bigrams: c.bigrams, stem: c.stem}, scores: make([]float32, len(c.labels))}
}

// A Prediction is a category with the classifier's confidence in it, the
// probability it gives that category (0 to 1).
type Prediction struct {
	Category   string
	Confidence float64
}

// Predict returns the most probable category of text. A text with no word
// the classifier knows gets the category the training set favoured and a
// low confidence, which is what sends it to a person.
func (c *Classifier) Predict(text string) Prediction {
	s := c.getScratch()
	best := c.probabilities(s, text)
	p := Prediction{Category: c.labels[best], Confidence: float64(s.scores[best])}
	c.pool.Put(s)
	return p
}

// Probabilities returns every category's probability for text, in the
// order of Categories.
func (c *Classifier) Probabilities(text string) []float64 {
	s := c.getScratch()
	c.probabilities(s, text)
	out := make([]float64, len(s.scores))
	for i, v := range s.scores {
		out[i] = float64(v)
	}
	c.pool.Put(s)
	return out
}

// probabilities fills s.scores and returns the index of the best category.
func (c *Classifier) probabilities(s *scratch, text string) int {
	keys := s.ex.extract(text)
	v := c.vectorise(keys, s.idx, s.val)
	s.idx, s.val = v.idx, v.val
	c.scoreInto(v.idx, v.val, s.scores)
	softmax(s.scores)
	best := 0
	for i, p := range s.scores {
		if p > s.scores[best] {
			best = i
		}
	}
	return best
}
