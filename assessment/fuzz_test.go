package assessment

import (
	"errors"
	"github.com/cxkit/cxkit"
	"os"
	"testing"
)

// FuzzParseCatalogue checks that any input either loads as a catalogue that
// validates again or fails with a *cxkit.ValidationError, never a panic or a
// half-checked catalogue.
func FuzzParseCatalogue(f *testing.F) {
	for _, name := range []string{"testdata/mini.json", "catalogues/audit.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"id":"x","version":1,"title":"t","scale":"met3","factors":[{"id":"a","number":1,"title":"A","statements":[{"id":"s","number":1,"text":"x"}]}],"sources":[{"id":"survey"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCatalogue(data)
		if err != nil {
			var ve *cxkit.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" || ve.Rule == "" {
				t.Fatalf("error %v is not a ValidationError with field and rule", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("loaded catalogue fails validation: %v", err)
		}
	})
}
