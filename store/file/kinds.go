package file

import (
	"context"
	"slices"

	"github.com/cxkit/cxkit/store"
)

var _ store.KindLister = (*Driver)(nil)

// Kinds implements store.KindLister from the index.
func (d *Driver) Kinds(ctx context.Context) ([]string, error) {
	d.fileMu.RLock()
	defer d.fileMu.RUnlock()
	if err := d.ready(ctx, "kinds", "", ""); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []string
	for k, t := range d.kinds {
		if len(t.sorted) > 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}
