package classify_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/cxkit/cxkit/classify"
)

var examples = []classify.Example{
	{Text: "the soup was cold", Category: "food"},
	{Text: "dinner took an hour to arrive", Category: "food"},
	{Text: "the breakfast eggs were cold", Category: "food"},
	{Text: "the bathroom was not cleaned", Category: "housekeeping"},
	{Text: "fresh towels and a spotless room", Category: "housekeeping"},
	{Text: "dust under the bed", Category: "housekeeping"},
}

// A model learns from labelled examples and says how sure it is.
func ExampleTrain() {
	m, err := classify.Train(examples, classify.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	p := m.Predict("the soup at dinner was cold")
	fmt.Println(p.Category, p.Confidence > 0.5)
	// Output: food true
}

// A text the model cannot read has a confidence near zero, even with two
// categories, so it goes to a person rather than to a guess.
func ExampleModel_Predict() {
	m, err := classify.Train(examples, classify.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, text := range []string{"the towels were dirty", "la sopa estaba fría", "👍"} {
		p := m.Predict(text)
		fmt.Printf("%-22s familiarity %.2f, confidence below one half: %v\n", text, p.Familiarity, p.Confidence < 0.5)
	}
	// Output:
	// the towels were dirty  familiarity 0.67, confidence below one half: false
	// la sopa estaba fría    familiarity 0.00, confidence below one half: true
	// 👍                      familiarity 0.00, confidence below one half: true
}

// A trained model is saved and loaded in a checksummed binary format.
func ExampleReadModel() {
	m, err := classify.Train(examples, classify.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		log.Fatal(err)
	}
	loaded, err := classify.ReadModel(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.Categories(), loaded.Predict("cold soup").Category)
	// Output: [food housekeeping] food
}
