package file_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
)

// Complaint is a value stored through a store.Collection.
type Complaint struct {
	store.Meta
	Summary string
	Status  string
}

func Example() {
	dir, err := os.MkdirTemp("", "cxkit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	d, err := file.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	complaints := store.NewCollection[Complaint](d, "complaint", func(c *Complaint) map[string]string {
		return map[string]string{"status": c.Status}
	})
	ctx := context.Background()
	for _, s := range []string{"late delivery", "wrong invoice", "rude reply"} {
		if _, err := complaints.Create(ctx, Complaint{Summary: s, Status: "open"}); err != nil {
			log.Fatal(err)
		}
	}
	groups, err := complaints.Count(ctx, nil, "status")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(groups[0].Values, groups[0].Count)

	// A second Open of the directory fails at once.
	if _, err := file.Open(dir); errors.Is(err, store.ErrLocked) {
		fmt.Println("locked")
	}

	// Everything acknowledged survives a reopen.
	d.Close()
	d, err = file.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	fmt.Println("records after reopen:", d.Recovery().Records)
	// Output:
	// [open] 3
	// locked
	// records after reopen: 3
}

// With a sync interval, writes are acknowledged before they reach the disk:
// faster, at the price of the last interval's writes on a power loss.
func ExampleWithSyncInterval() {
	dir, _ := os.MkdirTemp("", "cxkit-example")
	defer os.RemoveAll(dir)
	d, err := file.Open(dir, file.WithSyncInterval(10*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	r, err := d.Create(context.Background(), store.Record{Kind: "note", ID: "n1", Body: []byte("hello")})
	fmt.Println(r.Version, err)
	// Output: 1 <nil>
}

func ExampleDriver_Compact() {
	dir, _ := os.MkdirTemp("", "cxkit-example")
	defer os.RemoveAll(dir)
	d, err := file.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	r, _ := d.Create(ctx, store.Record{Kind: "note", ID: "n1", Body: []byte("v1")})
	for range 10 {
		r.Body = append(r.Body, '.')
		r, _ = d.Update(ctx, r)
	}
	before := d.Stats()
	if err := d.Compact(ctx); err != nil {
		log.Fatal(err)
	}
	after := d.Stats()
	fmt.Println(after.LogBytes < before.LogBytes, after.LogBytes == after.LiveBytes, after.Records)
	// Output: true true 1
}

func ExampleDriver_Recovery() {
	dir, _ := os.MkdirTemp("", "cxkit-example")
	defer os.RemoveAll(dir)
	d, _ := file.Open(dir)
	d.Create(context.Background(), store.Record{Kind: "note", ID: "n1", Body: []byte("kept")})
	d.Close()

	// A crash in the middle of an append leaves a partial frame at the end.
	f, _ := os.OpenFile(dir+"/data-000001.log", os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte("CxF1\x40\x00\x00\x00partial"))
	f.Close()

	d, err := file.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	rep := d.Recovery()
	fmt.Println(rep.Truncated, rep.Bytes, rep.Frames, rep.Records)
	// Output: true 15 1 1
}
