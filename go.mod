module github.com/cxkit/cxkit

go 1.26.1

require github.com/oklog/ulid/v2 v2.1.1
