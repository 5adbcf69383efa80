package feedback

import (
	"context"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

func formIndex(f *Form) map[string]string {
	return map[string]string{"name": f.Name, "version": store.IntKey(int64(f.Version)), "purpose": string(f.Purpose)}
}

// PublishForm stores a new version of a form. The first version is 1 and
// each next one must be the latest plus one, and must keep the type and
// scale of every question it shares with any earlier version; answers
// already given keep pointing at their own version, which never changes.
func (s *Service) PublishForm(ctx context.Context, f Form) (Form, error) {
	f.Meta = store.Meta{}
	if err := f.validate(); err != nil {
		return Form{}, err
	}
	latest, err := s.LatestForm(ctx, f.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if f.Version != 1 {
			return Form{}, invalidf("form.version", "must be 1 for a new form, got %d", f.Version)
		}
	case err != nil:
		return Form{}, err
	default:
		if f.Version != latest.Version+1 {
			return Form{}, invalidf("form.version", "must be %d (the latest is %d), got %d", latest.Version+1, latest.Version, f.Version)
		}
		if f.Purpose != latest.Purpose {
			return Form{}, invalidf("form.purpose", "must stay %s across versions, got %s", latest.Purpose, f.Purpose)
		}
		// Every earlier version, not only the latest: a question dropped in
		// one version and brought back later must come back the same, or
		// waves that span the gap would mix two scales under one ID.
		for prev, err := range s.forms.All(ctx, store.Query{Filters: []store.Filter{store.Where("name", f.Name)}, Limit: store.MaxLimit}) {
			if err != nil {
				return Form{}, err
			}
			if err := compatible(prev, f); err != nil {
				return Form{}, err
			}
		}
	}
	f.ID = formRecordID(f.Name, f.Version)
	// Two publishers racing for the same version meet here: the loser gets
	// store.ErrAlreadyExists.
	return s.forms.Create(ctx, f)
}

// Form returns one version of a form.
func (s *Service) Form(ctx context.Context, name string, version int) (Form, error) {
	if !slugRE.MatchString(name) || version < 1 {
		return Form{}, fmt.Errorf("feedback: form %q version %d: %w", name, version, store.ErrNotFound)
	}
	return s.forms.Get(ctx, formRecordID(name, version))
}

// LatestForm returns the highest version of a form, or an error wrapping
// store.ErrNotFound.
func (s *Service) LatestForm(ctx context.Context, name string) (Form, error) {
	var best Form
	for f, err := range s.forms.All(ctx, store.Query{Filters: []store.Filter{store.Where("name", name)}}) {
		if err != nil {
			return Form{}, err
		}
		if f.Version > best.Version {
			best = f
		}
	}
	if best.Version == 0 {
		return Form{}, fmt.Errorf("feedback: form %q: %w", name, store.ErrNotFound)
	}
	return best, nil
}
