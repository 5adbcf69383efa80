package file_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
)

// A backup taken while the application keeps writing, checked, and
// restored into a new directory.
func ExampleDriver_BackupDir() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "cxkit-backup")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	d, err := file.Open(filepath.Join(tmp, "live"))
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	for _, id := range []string{"a", "b", "c"} {
		if _, err := d.Create(ctx, store.Record{Kind: "complaint", ID: id, Body: []byte(`{}`)}); err != nil {
			log.Fatal(err)
		}
	}

	info, err := d.BackupDir(ctx, filepath.Join(tmp, "monday"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("backed up", info.Records, "records")
	if _, err := file.VerifyBackup(ctx, filepath.Join(tmp, "monday")); err != nil {
		log.Fatal(err)
	}
	restored, err := file.RestoreDir(ctx, filepath.Join(tmp, "monday"), filepath.Join(tmp, "restored"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("restored", restored.Records, "records")
	// Output:
	// backed up 3 records
	// restored 3 records
}

// Checking a store without changing it: every record, its checksum and
// its rules.
func ExampleVerify() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cxkit-verify")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	d, err := file.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	d.Create(ctx, store.Record{Kind: "feedback", ID: "f1", Body: []byte(`{"score":9}`)})
	d.Close()

	rep, err := file.Verify(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.OK(), rep.Records, len(rep.Problems))
	// Output: true 1 0
}
