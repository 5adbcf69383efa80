package demo_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store/memory"
)

func ExampleSeed() {
	end := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)
	clk := demo.NewClock(end)
	l, err := demo.Open(memory.New(), clk.Now)
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := demo.Seed(context.Background(), l, clk, end, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Complaints > 0, n.Feedback > 0, n.Responses > 0, n.Strategies)
	// Output: true true true 2
}
