// Package classify sorts short customer texts into an organisation's
// categories with a model trained on labelled examples. Package feedback
// uses it through a one-method interface, so a host can put another model
// (an embedding service, a language model) in its place.
//
//	m, err := classify.Train([]classify.Example{
//		{Text: "the soup was cold", Category: "food"},
//		{Text: "the towels were dirty", Category: "housekeeping"},
//	}, classify.TrainOptions{})
//	if err != nil {
//		return err
//	}
//	p := m.Predict("cold soup at dinner")
//	fmt.Println(p.Category, p.Confidence)
//
// The Model is a multinomial logistic regression over TF-IDF weighted
// words and word pairs (lower-cased, lightly stemmed, sublinear term
// frequency, L2 normalised), trained by stochastic gradient descent with
// each category weighted by the inverse of its frequency. Features are
// hashed to 64-bit keys and looked up in the learned vocabulary, so Predict
// allocates nothing and is safe for concurrent use. Models save and load in
// a versioned, checksummed binary format (Model.WriteTo, ReadModel).
//
// # Confidence
//
// A Prediction's Confidence is the lower of two numbers: the probability
// the model gives the winning category, and the share of the text's words
// the model met in training. The probability alone says only which of the
// known categories fits best; with two categories it is never below one
// half, and with one it is always 1. The familiarity says whether the text
// looks like anything the model was trained on at all: an empty text,
// emoji, or another language gets a confidence near 0 and goes to a person.
//
// # Long texts
//
// A text is read MaxWindowWords (512) words at a time. A longer text is
// judged window by window and the windows' probabilities averaged, each
// weighted by how many of its words the model knows; nothing past the
// first window is ignored.
//
// Accuracy on the public data sets and speed are in BENCHMARKS.md (section
// feedback); run the accuracy floors with
//
//	go test -count=1 -v -run Accuracy ./classify
package classify
