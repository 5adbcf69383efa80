package classify

import "math"

// The classifier spends nearly all its time in these two loops; they are
// unrolled by four with the slices resliced up front so the compiler drops
// the bounds checks.

// axpy adds a*x to y (len(x) >= len(y)).
func axpy(y, x []float32, a float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		yy, xx := y[i:i+4:i+4], x[i:i+4:i+4]
		yy[0] += a * xx[0]
		yy[1] += a * xx[1]
		yy[2] += a * xx[2]
		yy[3] += a * xx[3]
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}

// decayAxpy sets y to y*decay - a*g (len(g) >= len(y)).
func decayAxpy(y, g []float32, decay, a float32) {
	g = g[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		yy, gg := y[i:i+4:i+4], g[i:i+4:i+4]
		yy[0] = yy[0]*decay - a*gg[0]
		yy[1] = yy[1]*decay - a*gg[1]
		yy[2] = yy[2]*decay - a*gg[2]
		yy[3] = yy[3]*decay - a*gg[3]
	}
	for ; i < len(y); i++ {
		y[i] = y[i]*decay - a*g[i]
	}
}

// softmax turns scores into probabilities in place. Scores more than 40
// below the best contribute less than e^-40 and are set to zero without
// calling exp, which is most categories once a model is trained.
func softmax(s []float32) {
	m := s[0]
	for _, v := range s[1:] {
		m = max(m, v)
	}
	var sum float32
	for i, v := range s {
		d := v - m
		if d < -40 {
			s[i] = 0
			continue
		}
		e := float32(math.Exp(float64(d)))
		s[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range s {
		s[i] *= inv
	}
}
