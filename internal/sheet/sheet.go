// Package sheet reads and writes the CSV files that people open in
// spreadsheets, for every package's export and import: cells that a
// spreadsheet would run as a formula are defused on the way out and
// restored on the way in, and reading is bounded so that a hostile file
// cannot make the reader allocate without limit.
package sheet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Defuse keeps a cell from being read as a formula, the way OWASP advises
// for CSV injection: a cell that starts with = + - @, a tab or a carriage
// return gets a leading single quote, which spreadsheets show as text.
// A cell that already starts with a quote gets one more, so that Restore
// gives back exactly what was defused.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Restore undoes Defuse.
func Restore(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(s[1])) {
		return s[1:]
	}
	return s
}

// A Writer writes rows of defused cells.
type Writer struct{ w *csv.Writer }

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write defuses every cell of row and writes it. It does not change row.
func (w *Writer) Write(row []string) error {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = Defuse(c)
	}
	return w.w.Write(out)
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// Limits bound what a Reader accepts.
type Limits struct {
	// MaxCell is the most bytes one cell may hold.
	MaxCell int
	// MaxRow is the most bytes one row may take in the file.
	MaxRow int
	// MaxRows is the most rows, the header included.
	MaxRows int
}

// defaultLimits are what a Reader applies where Limits leave a zero:
// cells of 64 KiB, rows of 1 MiB, 1,000,000 rows.
var defaultLimits = Limits{MaxCell: 64 << 10, MaxRow: 1 << 20, MaxRows: 1_000_000}

// ErrTooLarge is wrapped when the file breaks a limit.
var ErrTooLarge = errors.New("too large")

// A Reader reads rows of restored cells within limits. A malformed file is
// an error naming the line, never a silent end.
type Reader struct {
	r      *csv.Reader
	count  *countingReader
	limits Limits
	rows   int
	failed bool
}

// NewReader returns a Reader of r. A zero field of limits takes the
// default.
func NewReader(r io.Reader, limits Limits) *Reader {
	if limits.MaxCell <= 0 {
		limits.MaxCell = defaultLimits.MaxCell
	}
	if limits.MaxRow <= 0 {
		limits.MaxRow = defaultLimits.MaxRow
	}
	if limits.MaxRows <= 0 {
		limits.MaxRows = defaultLimits.MaxRows
	}
	cr := &countingReader{r: r, max: limits.MaxRow}
	c := csv.NewReader(cr)
	c.FieldsPerRecord = -1
	c.ReuseRecord = false
	return &Reader{r: c, count: cr, limits: limits}
}

// Read returns the next row, or io.EOF after the last one. The cells are
// restored (see Restore).
func (r *Reader) Read() ([]string, error) {
	r.count.n = 0
	row, err := r.r.Read()
	if err != nil {
		r.failed = true
		if errors.Is(err, errRowTooLong) {
			return nil, fmt.Errorf("row %d: longer than %d bytes: %w", r.rows+1, r.limits.MaxRow, ErrTooLarge)
		}
		return nil, err
	}
	r.failed = false
	r.rows++
	if r.rows > r.limits.MaxRows {
		r.failed = true
		return nil, fmt.Errorf("more than %d rows: %w", r.limits.MaxRows, ErrTooLarge)
	}
	for i, c := range row {
		if len(c) > r.limits.MaxCell {
			line, col := r.r.FieldPos(i)
			return nil, fmt.Errorf("line %d, column %d: cell longer than %d bytes: %w", line, col, r.limits.MaxCell, ErrTooLarge)
		}
		row[i] = Restore(c)
	}
	return row, nil
}

// Line returns the line of the file the last row read started on, or 0
// before the first row and after an error (the csv reader keeps no field
// positions then, and the error itself names the line).
func (r *Reader) Line() int {
	if r.rows == 0 || r.failed {
		return 0
	}
	line, _ := r.r.FieldPos(0)
	return line
}

var errRowTooLong = errors.New("row too long")

// countingReader fails once more than max bytes (plus the csv reader's
// read-ahead) are read for one row, so a single huge cell is refused before
// it is held in memory.
type countingReader struct {
	r   io.Reader
	n   int
	max int
}

func (c *countingReader) Read(p []byte) (int, error) {
	// csv reads through a 4 KiB bufio.Reader; allow for its read-ahead.
	if c.n > c.max+8<<10 {
		return 0, errRowTooLong
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
