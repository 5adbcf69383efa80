package bench

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/oklog/ulid/v2"
)

// Kind is the record kind the workload writes.
const Kind = "complaint"

// base is the time of record 0; record i arrives i milliseconds later, so
// that its ULID sorts by i as the IDs of one Collection do.
var base = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	categories = []string{"billing", "delivery", "quality", "staff", "website", "returns", "warranty", "other"}
	words      = []string{"customer", "parcel", "refund", "late", "broken", "call", "centre", "waited", "manager", "invoice",
		"twice", "charged", "replacement", "promised", "never", "arrived", "polite", "rude", "email", "answer",
		"week", "order", "number", "store", "product", "quality", "poor", "excellent", "service", "again"}
)

// Gen makes the workload's records, the same for a given index on every
// run and engine.
type Gen struct {
	// BodyBytes is the size the JSON bodies aim at (they end within a word
	// of it).
	BodyBytes int
}

// complaintBody is what a body holds: JSON as a Collection writes it.
type complaintBody struct {
	Customer string    `json:"customer"`
	Channel  string    `json:"channel"`
	Category string    `json:"category"`
	Received time.Time `json:"received"`
	Summary  string    `json:"summary"`
	Text     string    `json:"text"`
}

// Record returns record i.
func (g Gen) Record(i int) store.Record {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	ms := ulid.Timestamp(base) + uint64(i)
	var ent [10]byte
	binary.BigEndian.PutUint64(ent[:8], rng.Uint64())
	binary.BigEndian.PutUint16(ent[8:], uint16(rng.Uint32()))
	var id ulid.ULID
	_ = id.SetTime(ms)
	_ = id.SetEntropy(ent[:])
	cat := categories[rng.IntN(len(categories))]
	month := time.Date(2024, time.Month(1+rng.IntN(24)), 1, 0, 0, 0, 0, time.UTC)
	created := ulid.Time(ms).UTC()
	body := complaintBody{
		Customer: fmt.Sprintf("cust-%06d", rng.IntN(50000)),
		Channel:  []string{"email", "phone", "web", "store"}[rng.IntN(4)],
		Category: cat,
		Received: month.Add(time.Duration(rng.IntN(28*24)) * time.Hour),
		Summary:  words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))],
	}
	target := g.BodyBytes - 200 // the other fields
	text := make([]byte, 0, target+16)
	for len(text) < target {
		if len(text) > 0 {
			text = append(text, ' ')
		}
		text = append(text, words[rng.IntN(len(words))]...)
	}
	body.Text = string(text)
	b, _ := json.Marshal(body)
	return store.Record{
		Kind: Kind, ID: id.String(),
		Attrs: map[string]string{"category": cat, "month": month.Format("2006-01")},
		Body:  b, Created: created, Updated: created,
	}
}

// Payload is the bytes of what the caller asked to store for record r:
// ID, attributes and body. Disk and RAM are measured against it.
func Payload(r store.Record) int64 {
	n := len(r.ID) + len(r.Body)
	for k, v := range r.Attrs {
		n += len(k) + len(v)
	}
	return int64(n)
}

// CreateSerial creates records 0..n-1, one commit each, from one goroutine.
func CreateSerial(ctx context.Context, e Engine, g Gen, n int) (time.Duration, error) {
	recs := pregen(g, 0, n)
	start := time.Now()
	for _, r := range recs {
		if err := e.Create(ctx, r); err != nil {
			return 0, fmt.Errorf("create %s: %w", r.ID, err)
		}
	}
	return time.Since(start), nil
}

// CreateConcurrent creates records 0..n-1, one commit each, from writers
// goroutines taking the next index as they go.
func CreateConcurrent(ctx context.Context, e Engine, g Gen, n, writers int) (time.Duration, error) {
	recs := pregen(g, 0, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, writers)
	start := time.Now()
	for w := range writers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := e.Create(ctx, recs[i]); err != nil {
					errs[w] = fmt.Errorf("create %s: %w", recs[i].ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return d, nil
}

// CreateBatches creates records from..from+n-1 in commits of batch
// records and returns the time spent committing and the payload written.
// It generates each batch just before writing it so that it can load
// millions of records in bounded memory; generation is not timed.
func CreateBatches(ctx context.Context, e Engine, g Gen, from, n, batch int) (time.Duration, int64, error) {
	var d time.Duration
	var payload int64
	for i := from; i < from+n; i += batch {
		rs := pregen(g, i, min(batch, from+n-i))
		for _, r := range rs {
			payload += Payload(r)
		}
		start := time.Now()
		if err := e.CreateBatch(ctx, rs); err != nil {
			return 0, 0, fmt.Errorf("batch at %d: %w", i, err)
		}
		d += time.Since(start)
	}
	return d, payload, nil
}

func pregen(g Gen, from, n int) []store.Record {
	rs := make([]store.Record, n)
	for i := range rs {
		rs[i] = g.Record(from + i)
	}
	return rs
}

// ReadAll scans every record and checks that there are n, in order.
func ReadAll(ctx context.Context, e Engine, n int) (time.Duration, error) {
	start := time.Now()
	seen := 0
	prev := ""
	var bad error
	err := e.Scan(ctx, Kind, func(r store.Record) {
		if r.ID <= prev && bad == nil {
			bad = fmt.Errorf("scan: %s after %s", r.ID, prev)
		}
		prev = r.ID
		seen++
	})
	d := time.Since(start)
	if err == nil {
		err = bad
	}
	if err == nil && seen != n {
		err = fmt.Errorf("scan: %d records, want %d", seen, n)
	}
	return d, err
}

// RandomGets reads gets records chosen at random (fixed seed) among 0..n-1
// and checks their bodies.
func RandomGets(ctx context.Context, e Engine, g Gen, n, gets int) (time.Duration, error) {
	rng := rand.New(rand.NewPCG(7, 7))
	want := make([]store.Record, gets)
	for i := range want {
		want[i] = g.Record(rng.IntN(n))
	}
	start := time.Now()
	for _, w := range want {
		r, err := e.Get(ctx, Kind, w.ID)
		if err != nil {
			return 0, fmt.Errorf("get %s: %w", w.ID, err)
		}
		if len(r.Body) != len(w.Body) {
			return 0, fmt.Errorf("get %s: %d body bytes, want %d", w.ID, len(r.Body), len(w.Body))
		}
	}
	return time.Since(start), nil
}

// CountGrouped counts by category and month and checks the total.
func CountGrouped(ctx context.Context, e Engine, n int) (time.Duration, int, error) {
	start := time.Now()
	gs, err := e.Count(ctx, Kind, "category", "month")
	d := time.Since(start)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	for _, g := range gs {
		total += g.Count
	}
	if total != int64(n) {
		return 0, 0, fmt.Errorf("count: total %d, want %d", total, n)
	}
	return d, len(gs), nil
}

// OpenAndGet opens spec in dir and reads one record: the time until an
// application can serve its first request.
func OpenAndGet(ctx context.Context, spec Spec, dir, id string) (Engine, time.Duration, error) {
	start := time.Now()
	e, err := spec.Open(dir)
	if err != nil {
		return nil, 0, err
	}
	if _, err := e.Get(ctx, Kind, id); err != nil {
		e.Close()
		return nil, 0, fmt.Errorf("get after open: %w", err)
	}
	return e, time.Since(start), nil
}

// DirBytes is the size of the files under dir.
func DirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
