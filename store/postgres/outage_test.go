package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// proxy forwards TCP connections to the test server, and can cut them in
// the two ways a network fails a client: after a write was sent (the server
// applies it, the answer never arrives), or by refusing connections.
type proxy struct {
	t      *testing.T
	target string
	ln     net.Listener
	addr   string

	mu     sync.Mutex
	conns  []net.Conn
	marker []byte // when set, a client message containing it is the last one answered
	muted  bool   // the server's answers are dropped
	cuts   int
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: target, ln: ln, addr: ln.Addr().String()}
	go p.accept(ln)
	t.Cleanup(p.close)
	return p
}

func (p *proxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(s, c, false) // server to client
		go p.pipe(c, s, true)  // client to server
	}
}

// pipe copies src to dst. On the client's side, a message holding the
// marker is forwarded, and then every connection is cut before the
// server's answer can come back.
func (p *proxy) pipe(src, dst net.Conn, fromClient bool) {
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			cut := fromClient && p.marker != nil && bytes.Contains(buf[:n], p.marker)
			if cut {
				p.marker, p.muted = nil, true
				p.cuts++
			}
			muted := !fromClient && p.muted
			p.mu.Unlock()
			switch {
			case cut:
				// The write reaches the server, which applies it; its
				// answer is dropped, and then the connections are cut.
				_, _ = dst.Write(buf[:n])
				time.Sleep(300 * time.Millisecond)
				p.dropAll()
				return
			case muted:
			default:
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			_ = dst.Close()
			return
		}
	}
}

// cutAfter arms the proxy: the next client message containing marker is
// delivered to the server, and the client never hears back.
func (p *proxy) cutAfter(marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.marker = []byte(marker)
}

func (p *proxy) cutCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

func (p *proxy) dropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns, p.muted = nil, false
}

// refuse closes the listening port and every connection: the next
// connection attempt is refused.
func (p *proxy) refuse() {
	_ = p.ln.Close()
	p.dropAll()
}

func (p *proxy) close() { p.refuse() }

// viaProxy returns the test DSN with its host and port replaced by addr.
func viaProxy(t *testing.T, addr string) string {
	u, err := url.Parse(testDSN(t))
	if err != nil || u.Host == "" {
		t.Skipf("the outage tests need a URL DSN with host:port, got %q", testDSN(t))
	}
	u.Host = addr
	return u.String()
}

func serverAddr(t *testing.T) string {
	u, err := url.Parse(testDSN(t))
	if err != nil || u.Host == "" {
		t.Skipf("the outage tests need a URL DSN with host:port, got %q", testDSN(t))
	}
	return u.Host
}

// TestOutcomeUnknownAfterSend: an update sent to the server whose
// connection then breaks is reported as ErrOutcomeUnknown (not retried: it
// was applied, and a second run would fail with a conflict or apply twice),
// and it was indeed applied. Issue 16: the error used to wrap a bare
// io.ErrUnexpectedEOF.
func TestOutcomeUnknownAfterSend(t *testing.T) {
	p := newProxy(t, serverAddr(t))
	ctx := context.Background()
	d, err := postgres.Open(ctx, viaProxy(t, p.addr), postgres.WithSchema(freshSchema(t)), postgres.WithRetryBudget(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r, err := d.Create(ctx, store.Record{Kind: "c", ID: "lost-answer", Body: []byte("v1")})
	if err != nil {
		t.Fatal(err)
	}
	r.Body = []byte("v2-marker-update")
	p.cutAfter("v2-marker-update")
	_, err = d.Update(ctx, r)
	if p.cutCount() != 1 {
		t.Fatalf("the proxy never saw the update (cuts %d): the test did not test anything", p.cutCount())
	}
	if !errors.Is(err, store.ErrOutcomeUnknown) {
		t.Fatalf("update whose answer was lost: %v; want store.ErrOutcomeUnknown", err)
	}
	if errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("update whose answer was lost: %v wraps ErrUnavailable too, which promises nothing was applied", err)
	}
	direct, err := postgres.New(ctx, pool(t), postgres.WithSchema(d.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := direct.Get(ctx, "c", "lost-answer")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || string(got.Body) != "v2-marker-update" {
		t.Fatalf("after the lost answer the server holds v%d %q; the test expects the update applied", got.Version, got.Body)
	}
	// The driver recovers by itself: the pool replaces the broken
	// connection.
	if _, err := d.Get(ctx, "c", "lost-answer"); err != nil {
		t.Fatalf("Get after the cut: %v", err)
	}
}

// TestCreateRetriedAfterLostAnswer: a create whose answer was lost is
// retried by the driver, which then finds the record it wrote and reports
// success, not ErrAlreadyExists; a caller repeating the same create does
// too, and a create of other content under that ID still fails.
func TestCreateRetriedAfterLostAnswer(t *testing.T) {
	p := newProxy(t, serverAddr(t))
	ctx := context.Background()
	d, err := postgres.Open(ctx, viaProxy(t, p.addr), postgres.WithSchema(freshSchema(t)), postgres.WithRetryBudget(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Create(ctx, store.Record{Kind: "c", ID: "warm", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	r := store.Record{Kind: "c", ID: "once", Attrs: map[string]string{"a": "1"}, Body: []byte("create-marker")}
	p.cutAfter("create-marker")
	got, err := d.Create(ctx, r)
	if p.cutCount() != 1 {
		t.Fatalf("the proxy never saw the create (cuts %d)", p.cutCount())
	}
	if err != nil {
		t.Fatalf("create retried after its answer was lost: %v; want success (the record is the one it wrote)", err)
	}
	if got.Version != 1 {
		t.Fatalf("create returned version %d", got.Version)
	}
	if _, err := d.Create(ctx, r); err != nil {
		t.Fatalf("the caller repeating an identical create: %v; want success", err)
	}
	other := r
	other.Body = []byte("other content")
	if _, err := d.Create(ctx, other); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("create of other content under an existing ID: %v; want ErrAlreadyExists", err)
	}
	page, err := d.List(ctx, "c", store.Query{})
	if err != nil || len(page.Records) != 2 {
		t.Fatalf("after the retried create: %d records, %v; want 2 (warm, once)", len(page.Records), err)
	}
}

// TestUnavailableWhenRefused: with the server's port refusing connections,
// reads and writes fail with ErrUnavailable once the retry budget is spent,
// and nothing is ErrOutcomeUnknown, since nothing was sent; Open fails the
// same way.
func TestUnavailableWhenRefused(t *testing.T) {
	p := newProxy(t, serverAddr(t))
	ctx := context.Background()
	d, err := postgres.Open(ctx, viaProxy(t, p.addr), postgres.WithSchema(freshSchema(t)), postgres.WithRetryBudget(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Create(ctx, store.Record{Kind: "c", ID: "before", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	p.refuse()
	// pgxpool checks a connection idle for over a second before using it.
	time.Sleep(1100 * time.Millisecond)
	for name, op := range map[string]func() error{
		"get": func() error { _, err := d.Get(ctx, "c", "before"); return err },
		"create": func() error {
			_, err := d.Create(ctx, store.Record{Kind: "c", ID: "after", Body: []byte("y")})
			return err
		},
		"list": func() error { _, err := d.List(ctx, "c", store.Query{}); return err },
	} {
		err := op()
		if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrOutcomeUnknown) {
			t.Errorf("%s with connections refused: %v; want store.ErrUnavailable only", name, err)
		}
	}
	_, err = postgres.Open(ctx, viaProxy(t, p.addr), postgres.WithRetryBudget(200*time.Millisecond))
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Open with connections refused: %v; want store.ErrUnavailable", err)
	}
}
