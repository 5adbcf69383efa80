package assessment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A shape is what a catalogue's JSON may hold at one place. The decoder's
// own errors name a field without its position ("factors.statements.number"
// for any statement of any factor), which leaves a person hunting through a
// file of a hundred statements; checking the shape first gives the full path,
// "catalogue.factors[2].statements[0].number".
type shape struct {
	kind   string // "object", "array", "string", "int", "version", "source"
	fields map[string]*shape
	elem   *shape
}

var (
	shapeString    = &shape{kind: "string"}
	shapeInt       = &shape{kind: "int"}
	shapeStatement = &shape{kind: "object", fields: map[string]*shape{"id": shapeString, "number": shapeInt, "text": shapeString}}
	shapeFactor    = &shape{kind: "object", fields: map[string]*shape{"id": shapeString, "number": shapeInt, "title": shapeString,
		"statements": {kind: "array", elem: shapeStatement}}}
	shapeCatalogue = &shape{kind: "object", fields: map[string]*shape{"id": shapeString, "version": {kind: "version"},
		"title": shapeString, "source": shapeString, "scale": shapeString,
		"factors": {kind: "array", elem: shapeFactor},
		"sources": {kind: "array", elem: &shape{kind: "source"}}}}
	shapeSourceObject = &shape{kind: "object", fields: map[string]*shape{"id": shapeString, "title": shapeString, "name": shapeString}}
)

// check reports the first place where v, decoded with UseNumber, does not
// have the shape sh.
func (sh *shape) check(path string, v any) error {
	if v == nil {
		return nil // null leaves the field at its zero value; validation judges that
	}
	switch sh.kind {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return invalidf(path, "must be a JSON object, got %s", jsonKind(v))
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := sh.fields[k]
			if !ok {
				known := make([]string, 0, len(sh.fields))
				for n := range sh.fields {
					known = append(known, n)
				}
				slices.Sort(known)
				return invalidf(path+"."+k, "is not a field of the catalogue schema here (known: %s)", strings.Join(known, ", "))
			}
			if err := f.check(path+"."+k, m[k]); err != nil {
				return err
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return invalidf(path, "must be a JSON array, got %s", jsonKind(v))
		}
		for i, e := range a {
			if err := sh.elem.check(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return invalidf(path, "must be a string, got %s", jsonKind(v))
		}
	case "int":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			return invalidf(path, "must be a whole number, got %s", jsonKind(v))
		}
	case "version":
		switch v.(type) {
		case string, json.Number:
		default:
			return invalidf(path, "must be a string or a number, got %s", jsonKind(v))
		}
	case "source":
		if _, ok := v.(string); ok {
			return nil
		}
		return shapeSourceObject.check(path, v)
	}
	return nil
}

// jsonKind names the JSON type of v for an error message.
func jsonKind(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", x)
	case json.Number:
		return "the number " + x.String()
	case bool:
		return fmt.Sprintf("%t", x)
	}
	return "null"
}
