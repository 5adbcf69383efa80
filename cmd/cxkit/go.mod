module github.com/cxkit/cxkit/cmd/cxkit

go 1.26.1

require (
	github.com/cxkit/cxkit v0.0.0-00010101000000-000000000000
	github.com/cxkit/cxkit/store/postgres v0.0.0-00010101000000-000000000000
)
