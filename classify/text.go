package classify

import (
	"unicode"
	"unicode/utf8"
)

// Text features are hashed rather than kept as strings so that extracting
// them from a text allocates nothing: a prediction turns words straight into
// 64-bit keys and looks those up in the model's vocabulary.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	// maxWordBytes bounds one token; longer runs of letters are cut, which
	// only ever merges garbage "words" that no model has seen anyway.
	maxWordBytes = 48
	// MaxWindowWords is how many words the model reads at a time: a
	// longer text is read in consecutive windows of this many words, each
	// judged, and the judgements combined (see Model.Predict), so the
	// work per window is bounded and no part of a text is ignored.
	MaxWindowWords = 512
	// bigramSalt keeps a bigram's key apart from any unigram's.
	bigramSalt = 0x9e3779b97f4a7c15
)

// extractor turns a text into feature keys. Its buffers are reused between
// texts, so one extractor serves one goroutine at a time.
type extractor struct {
	bigrams bool
	stem    bool
	// chars adds the character 5-grams of each word, padded with word
	// boundaries ("<colder>": "<cold", "colde", "older", "lder>").
	chars bool
	pad   [maxWordBytes + utf8.UTFMax + 2]byte
	word  [maxWordBytes + utf8.UTFMax]byte
	keys  []uint64
	uni   []uint64 // the word keys alone, for familiarity
}

// mix scrambles a pair of keys into one, order-sensitive.
func mix(a, b uint64) uint64 {
	h := a*0xff51afd7ed558ccd ^ (b + bigramSalt + a<<6 + a>>2)
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 29
	return h
}

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// extract returns the feature keys of the first MaxWindowWords words of
// text: each word (lower-cased, lightly stemmed) and, if enabled, each pair
// of adjacent words; and the rest of the text, empty when it was read to
// the end. The slice is the extractor's own and is overwritten by the next
// call.
func (e *extractor) extract(text string) (keys []uint64, rest string) {
	e.keys = e.keys[:0]
	e.uni = e.uni[:0]
	var prev uint64
	havePrev := false
	n := 0
	tokens := 0
	flush := func() {
		if n == 0 {
			return
		}
		w := e.word[:n]
		if e.stem {
			w = stem(w)
		}
		h := hashBytes(w)
		e.keys = append(e.keys, h)
		e.uni = append(e.uni, h)
		if e.chars {
			e.charGrams(e.word[:n])
		}
		if e.bigrams && havePrev {
			e.keys = append(e.keys, mix(prev, h))
		}
		prev, havePrev = h, true
		n = 0
		tokens++
	}
	i := 0
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if n < maxWordBytes {
				e.word[n] = byte(r)
				n++
			}
		case r >= 'A' && r <= 'Z':
			if n < maxWordBytes {
				e.word[n] = byte(r + 'a' - 'A')
				n++
			}
		case r == '\'' || r == '\u2019':
			// "don't" and "dont" are one word to a customer.
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if n < maxWordBytes {
				n += utf8.EncodeRune(e.word[n:], unicode.ToLower(r))
			}
		default:
			flush()
			if tokens == MaxWindowWords {
				return e.keys, text[i:]
			}
		}
	}
	flush()
	return e.keys, ""
}

// Character 5-grams were measured against 3-, 4- and 3-to-5-grams on
// Banking77 (see BENCHMARKS.md, feedback): 3-to-5 gained most accuracy but
// cost four times the prediction time; 5-grams alone gain nearly as much
// (0.901 to 0.918) for about 1.6 times.
const (
	charGram = 5
	// charSalt keeps character n-grams apart from words and pairs.
	charSalt = 0x632be59bd9b4e019
)

// charGrams appends the keys of the character 5-grams of the word w
// (before stemming) with boundary marks; a word of fewer than three
// letters has none.
func (e *extractor) charGrams(w []byte) {
	p := e.pad[:0]
	p = append(p, '<')
	p = append(p, w...)
	p = append(p, '>')
	for i := 0; i+charGram <= len(p); i++ {
		h := uint64(fnvOffset) ^ charSalt
		for _, c := range p[i : i+charGram] {
			h ^= uint64(c)
			h *= fnvPrime
		}
		e.keys = append(e.keys, h)
	}
}

// stem strips a few common English suffixes so that "charged", "charges"
// and "charging" meet. It is deliberately crude: a classifier only needs
// related forms to collide, not real roots.
func stem(w []byte) []byte {
	n := len(w)
	if n <= 3 {
		return w
	}
	has := func(s string) bool {
		return n > len(s)+2 && string(w[n-len(s):]) == s
	}
	switch {
	case has("ing"):
		return w[:n-3]
	case has("ied"), has("ies"):
		w = w[:n-2]
		w[len(w)-1] = 'y'
		return w
	case has("ed"):
		return w[:n-2]
	case has("es") && (w[n-3] == 's' || w[n-3] == 'x' || w[n-3] == 'h'):
		return w[:n-2]
	case w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		return w[:n-1]
	case has("ly"):
		return w[:n-2]
	}
	return w
}
