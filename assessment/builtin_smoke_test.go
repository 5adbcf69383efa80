package assessment

import "testing"

func TestBuiltinParses(t *testing.T) {
	cs, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("got %d built-in catalogues, want 3", len(cs))
	}
}
