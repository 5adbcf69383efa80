package feedback

import (
	"context"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// formRecord is a published form version as stored.
type formRecord struct {
	store.Meta
	Form survey.Form `json:"form"`
}

func formIndex(f *formRecord) map[string]string {
	return map[string]string{"name": f.Form.Name, "version": store.IntKey(int64(f.Form.Version)), "purpose": string(f.Form.Purpose)}
}

// formRecordID is the store ID of a form version.
func formRecordID(name string, version int) string { return fmt.Sprintf("%s@%d", name, version) }

// PublishForm stores a new version of a form. The first version is 1 and
// each next one must be the latest plus one, and must keep the type and
// scale of every question it shares with any earlier version; answers
// already given keep pointing at their own version, which never changes.
func (s *Service) PublishForm(ctx context.Context, f survey.Form) (survey.Form, error) {
	if err := f.Validate(); err != nil {
		return survey.Form{}, err
	}
	latest, err := s.LatestForm(ctx, f.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if f.Version != 1 {
			return survey.Form{}, invalidf("form.version", "must be 1 for a new form, got %d", f.Version)
		}
	case err != nil:
		return survey.Form{}, err
	default:
		if f.Version != latest.Version+1 {
			return survey.Form{}, invalidf("form.version", "must be %d (the latest is %d), got %d", latest.Version+1, latest.Version, f.Version)
		}
		if f.Purpose != latest.Purpose {
			return survey.Form{}, invalidf("form.purpose", "must stay %s across versions, got %s", latest.Purpose, f.Purpose)
		}
		// Every earlier version, not only the latest: a question dropped in
		// one version and brought back later must come back the same, or
		// waves that span the gap would mix two scales under one ID.
		for prev, err := range s.forms.All(ctx, store.Query{Filters: []store.Filter{store.Where("name", f.Name)}, Limit: store.MaxLimit}) {
			if err != nil {
				return survey.Form{}, err
			}
			if err := survey.Compatible(prev.Form, f); err != nil {
				return survey.Form{}, err
			}
		}
	}
	// Two publishers racing for the same version meet here: the loser gets
	// store.ErrAlreadyExists.
	rec, err := s.forms.Create(ctx, formRecord{Meta: store.Meta{ID: formRecordID(f.Name, f.Version)}, Form: f})
	return rec.Form, err
}

// Form returns one version of a form.
func (s *Service) Form(ctx context.Context, name string, version int) (survey.Form, error) {
	if !survey.ValidName(name) || version < 1 {
		return survey.Form{}, fmt.Errorf("feedback: form %q version %d: %w", name, version, store.ErrNotFound)
	}
	rec, err := s.forms.Get(ctx, formRecordID(name, version))
	return rec.Form, err
}

// LatestForm returns the highest version of a form, or an error wrapping
// store.ErrNotFound.
func (s *Service) LatestForm(ctx context.Context, name string) (survey.Form, error) {
	var best formRecord
	for f, err := range s.forms.All(ctx, store.Query{Filters: []store.Filter{store.Where("name", name)}}) {
		if err != nil {
			return survey.Form{}, err
		}
		if f.Form.Version > best.Form.Version {
			best = f
		}
	}
	if best.Form.Version == 0 {
		return survey.Form{}, fmt.Errorf("feedback: form %q: %w", name, store.ErrNotFound)
	}
	return best.Form, nil
}
