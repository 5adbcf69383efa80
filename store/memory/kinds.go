package memory

import (
	"context"
	"slices"

	"github.com/cxkit/cxkit/store"
)

var _ store.KindLister = (*Driver)(nil)

// Kinds implements store.KindLister.
func (d *Driver) Kinds(ctx context.Context) ([]string, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.ready(ctx, "kinds", "", ""); err != nil {
		return nil, err
	}
	var out []string
	for k, t := range d.kinds {
		if len(t.ids) > 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}
