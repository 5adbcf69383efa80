package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store/memory"
)

// Logging a complaint and taking the first step on the version the clerk
// saw: the ETag of one response is the If-Match of the next request.
func ExampleAPI() {
	clk := demo.NewClock(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC))
	loop, err := demo.Open(memory.New(), clk.Now)
	if err != nil {
		fmt.Println(err)
		return
	}
	api := &API{Complaints: loop.Complaints, Feedback: loop.Feedback, Events: NewWebhook("", "", nil), Now: clk.Now,
		Logger: log.New(io.Discard, "", 0)}
	srv := httptest.NewServer(api.Routes())
	defer srv.Close()

	res, err := http.Post(srv.URL+"/complaints", "application/json", strings.NewReader(
		`{"channel":"email","customer":{"ref":"c-1"},"summary":"Washer delivered to the wrong address",
		  "category":"delivery","made_by":"regular-customer","directed_at":{"kind":"team"},"severity":"high","by":"Kim"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.Status, "ETag", res.Header.Get("ETag"))

	step := func(etag string) string {
		req, _ := http.NewRequest("POST", srv.URL+res.Header.Get("Location")+"/investigate", strings.NewReader(`{"by":"Kim"}`))
		req.Header.Set("If-Match", etag)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		r.Body.Close()
		return r.Status + " ETag " + r.Header.Get("ETag")
	}
	fmt.Println(step(res.Header.Get("ETag")))
	fmt.Println(step(res.Header.Get("ETag"))) // the same, stale, version again
	// Output:
	// 201 Created ETag "1"
	// 200 OK ETag "2"
	// 412 Precondition Failed ETag
}
