package storetest_test

import (
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// An adapter proves itself against the whole contract with one test
// function in its own package; open returns a fresh, empty driver for each
// subtest, which Run closes when the subtest ends. (This example is
// compiled, not run: Run needs the *testing.T of a real test, as in
// memory_test.go.)
func ExampleRun() {
	_ = func(t *testing.T) { // func TestConformance(t *testing.T) in your package
		storetest.Run(t, func(t *testing.T) store.Driver {
			return memory.New() // mydriver.Open(t.TempDir()) for yours
		})
	}
}
