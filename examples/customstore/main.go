// Command customstore shows a storage adapter in use: the sealed driver of
// package sealed wrapped around the embedded file store, so that every body
// on disk is encrypted while lists and counts still work on attributes.
//
//	go run ./examples/customstore            # a fresh temporary directory
//	go run ./examples/customstore -data dir  # a directory of your choice
//
// The key is read from CXKIT_SEALED_KEY (64 hex digits, AES-256). Without it
// the program makes a throwaway key and says so: data written with it
// cannot be read again.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cxkit/cxkit/examples/customstore/sealed"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
)

// note is what the program stores: any type that embeds store.Meta.
type note struct {
	store.Meta
	Topic string `json:"topic"`
	Text  string `json:"text"`
}

func main() {
	data := flag.String("data", "", "directory for the store (default: a new temporary directory)")
	flag.Parse()
	dir := *data
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "cxkit-customstore-"); err != nil {
			fmt.Fprintln(os.Stderr, "customstore:", err)
			os.Exit(1)
		}
	}
	key, err := loadKey(os.Getenv("CXKIT_SEALED_KEY"), os.Stdout)
	if err == nil {
		err = run(context.Background(), dir, key, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "customstore:", err)
		os.Exit(1)
	}
}

// loadKey decodes a hex key, or makes a throwaway one when hexKey is empty.
func loadKey(hexKey string, out io.Writer) ([]byte, error) {
	if hexKey == "" {
		fmt.Fprintln(out, "CXKIT_SEALED_KEY is not set: using a throwaway key (this run's data cannot be read again)")
		key := make([]byte, 32)
		_, err := rand.Read(key)
		return key, err
	}
	key, err := hex.DecodeString(hexKey)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("CXKIT_SEALED_KEY: must be 64 hex digits (32 bytes)")
	}
	return key, nil
}

// run stores a few notes through the sealed driver in dir and shows what
// reached the disk.
func run(ctx context.Context, dir string, key []byte, out io.Writer) error {
	inner, err := file.Open(dir)
	if err != nil {
		return err
	}
	d, err := sealed.New(inner, key)
	if err != nil {
		inner.Close()
		return err
	}
	defer d.Close()

	notes := store.NewCollection(d, "note", func(n *note) map[string]string {
		return map[string]string{"topic": n.Topic}
	})
	secret := "customer's card ending 4242 was charged twice"
	for _, n := range []note{
		{Topic: "billing", Text: secret},
		{Topic: "billing", Text: "refund promised within five days"},
		{Topic: "delivery", Text: "parcel left in the rain"},
	} {
		if _, err := notes.Create(ctx, n); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "stored 3 notes in %s through the sealed driver\n", dir)

	for n, err := range notes.All(ctx, store.Query{Filters: []store.Filter{store.Where("topic", "billing")}}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  billing note read back: %q\n", n.Text)
	}
	groups, err := notes.Count(ctx, nil, "topic")
	if err != nil {
		return err
	}
	for _, g := range groups {
		fmt.Fprintf(out, "  count topic=%s: %d\n", g.Values[0], g.Count)
	}
	// Sync what is buffered before looking at the files.
	if err := d.Close(); err != nil {
		return err
	}
	body, attr, err := scan(dir, []byte("4242"), []byte("billing"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "on disk: body text found=%v, attribute value found=%v\n", body, attr)
	return nil
}

// scan reports whether any file under dir contains a or b.
func scan(dir string, a, b []byte) (foundA, foundB bool, err error) {
	err = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		foundA = foundA || bytes.Contains(content, a)
		foundB = foundB || bytes.Contains(content, b)
		return nil
	})
	return foundA, foundB, err
}
