package sealed_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cxkit/cxkit/examples/customstore/sealed"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

func Example() {
	ctx := context.Background()
	inner := memory.New()
	// In production the key comes from a secret manager, never from code.
	d, err := sealed.New(inner, bytes.Repeat([]byte{1}, 32))
	if err != nil {
		panic(err)
	}
	defer d.Close()

	_, err = d.Create(ctx, store.Record{
		Kind:  "complaint",
		ID:    "c1",
		Attrs: map[string]string{"status": "logged"},
		Body:  []byte(`{"text":"card 4111 charged twice"}`),
	})
	if err != nil {
		panic(err)
	}
	raw, _ := inner.Get(ctx, "complaint", "c1")
	back, _ := d.Get(ctx, "complaint", "c1")
	fmt.Println("plaintext at rest:", bytes.Contains(raw.Body, []byte("4111")))
	fmt.Println("attribute at rest:", raw.Attrs["status"])
	fmt.Println("read back:", string(back.Body))
	// Output:
	// plaintext at rest: false
	// attribute at rest: logged
	// read back: {"text":"card 4111 charged twice"}
}
