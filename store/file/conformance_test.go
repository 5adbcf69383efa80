package file

import (
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		d, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}

// TestConformanceRelaxed runs the contract in the interval durability mode,
// which shares every code path but the sync.
func TestConformanceRelaxed(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		d, err := Open(t.TempDir(), WithSyncInterval(5*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
