package strategy

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// Errors, for errors.Is. Bad input is a *cxkit.ValidationError (errors.Is
// store.ErrInvalid), a stage change the strategy is not ready for a
// *cxkit.TransitionError.
var (
	// ErrUnknownSource: a target names a measurement source that was not
	// wired with WithSource.
	ErrUnknownSource = errors.New("strategy: unknown measurement source")
	// ErrNoData: the source had nothing to measure in the window (no survey
	// answers, no resolved complaints): no value is better than a made-up one.
	ErrNoData = errors.New("strategy: no data to measure")
	// ErrUnknownTarget: no target of the strategy has that ID.
	ErrUnknownTarget = errors.New("strategy: unknown target")
	// ErrTooEarly: a full measurement window has not passed since the
	// strategy started, so a measured value would say nothing about it.
	ErrTooEarly = errors.New("strategy: too early to tell")
)

func invalidf(field, format string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(format, args...)}
}
