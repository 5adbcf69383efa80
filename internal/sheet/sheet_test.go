package sheet

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDefuseRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'already", "''", "'=x", "a=b"} {
		d := Defuse(s)
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && d[0] != '\'' {
			t.Errorf("Defuse(%q) = %q: formula lead kept", s, d)
		}
		if got := Restore(d); got != s {
			t.Errorf("Restore(Defuse(%q)) = %q", s, got)
		}
	}
}

func TestWriterReaderRoundTrip(t *testing.T) {
	rows := [][]string{{"id", "text"}, {"1", "=1+1"}, {"2", "line\nbreak, \"quoted\""}, {"3", "@x"}}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\n3,@x") {
		t.Fatalf("formula written raw:\n%s", buf.String())
	}
	r := NewReader(&buf, Limits{})
	for i := 0; ; i++ {
		row, err := r.Read()
		if err == io.EOF {
			if i != len(rows) {
				t.Fatalf("read %d rows, want %d", i, len(rows))
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(row, "|") != strings.Join(rows[i], "|") {
			t.Fatalf("row %d = %q, want %q", i, row, rows[i])
		}
	}
}

func TestReaderLimits(t *testing.T) {
	huge := "id,text\n1," + strings.Repeat("x", 4<<20) + "\n"
	_, err := readAll(NewReader(strings.NewReader(huge), Limits{MaxRow: 1 << 20}))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("4 MiB row: err = %v, want ErrTooLarge", err)
	}
	_, err = readAll(NewReader(strings.NewReader("a\n"+strings.Repeat("y", 100)+"\n"), Limits{MaxCell: 10}))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("long cell: err = %v, want ErrTooLarge", err)
	}
	_, err = readAll(NewReader(strings.NewReader("a\nb\nc\n"), Limits{MaxRows: 2}))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too many rows: err = %v, want ErrTooLarge", err)
	}
	bad := NewReader(strings.NewReader("a,b\n1,\"open quote\n2,x\n"), Limits{})
	_, err = readAll(bad)
	if err == nil {
		t.Fatal("malformed quote: no error")
	}
	if line := bad.Line(); line != 0 {
		t.Fatalf("Line after an error = %d, want 0 (the error names the line)", line)
	}
}

func readAll(r *Reader) ([][]string, error) {
	var out [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
}
