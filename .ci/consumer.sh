#!/usr/bin/env bash
# Proves that this repository's modules install the way a user gets them:
# serves HEAD of every module (the root and each nested go.mod) from a
# local file-based module proxy, at the version the nested modules require
# of the root, then builds and runs a consumer module in a temp dir outside
# the workspace that imports the root, store/file and store/postgres.
#
# No tags are needed (a CI clone may have none): the script assigns the
# version. The consumer's build uses no network: GOPROXY lists only the
# local proxy and, for third-party modules (pgx and the like), the download
# cache of this machine's module cache, which the workspace build filled
# beforehand; a fresh GOMODCACHE keeps the served versions out of the
# machine's own cache. Checksums: GOSUMDB=off, since the versions served
# here were never published (see RELEASING.md).
#
# Usage: .ci/consumer.sh   (from anywhere in the repo; CXKIT_CONSUMER_KEEP=1
# keeps the temp dir)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxkit-consumer.XXXXXX")
cleanup() {
	if [[ -z ${CXKIT_CONSUMER_KEEP:-} ]]; then
		# The module cache is written read-only; make it removable.
		chmod -R u+w "$tmp" 2>/dev/null || true
		rm -rf "$tmp"
	else
		echo "consumer.sh: kept $tmp"
	fi
}
trap cleanup EXIT

# The version the nested modules require of the root is the one to serve.
version=$(sed -n 's/^[[:space:]]*github.com\/cxkit\/cxkit \(v[^[:space:]]*\).*/\1/p' store/postgres/go.mod | head -n1)
if [[ -z $version ]]; then
	echo "consumer.sh: store/postgres/go.mod does not require a version of github.com/cxkit/cxkit" >&2
	exit 1
fi
# Every nested module must resolve for a user: no replace, no zero
# pseudo-version, and the same version of the root.
for gomod in $(git ls-files '*/go.mod'); do
	if grep -q '^replace' "$gomod"; then
		echo "consumer.sh: $gomod has a replace directive; published modules must not" >&2
		exit 1
	fi
	if grep -q 'github.com/cxkit/.* v0\.0\.0-' "$gomod"; then
		echo "consumer.sh: $gomod requires a zero pseudo-version of a cxkit module; require the release instead" >&2
		exit 1
	fi
	if grep -q 'github.com/cxkit/cxkit v' "$gomod" && ! grep -q "github.com/cxkit/cxkit $version" "$gomod"; then
		echo "consumer.sh: $gomod requires another version of github.com/cxkit/cxkit than $version" >&2
		exit 1
	fi
done

cache=$(go env GOMODCACHE)/cache/download
upstream=$(go env GOPROXY)

# The repository at HEAD, as a user would get it: committed files only.
git archive --format=tar --prefix=src/ HEAD | tar -x -C "$tmp"
stamp=$(git log -1 --format=%cI HEAD)
go run ./.ci/modproxy -src "$tmp/src" -out "$tmp/proxy" -version "$version" -time "$stamp"

mkdir -p "$tmp/consumer"
cat >"$tmp/consumer/go.mod" <<MOD
module example.com/consumer

go 1.26.1

require (
	github.com/cxkit/cxkit $version
	github.com/cxkit/cxkit/store/postgres $version
)
MOD
cat >"$tmp/consumer/main.go" <<'GO'
// Command consumer uses cxkit as a program outside its repository would.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/postgres"
)

type note struct {
	store.Meta
	Text string `json:"text"`
}

func main() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "consumer-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	d, err := file.Open(dir)
	if err != nil {
		panic(err)
	}
	defer d.Close()
	notes := store.NewCollection[note](d, "note", nil)
	n, err := notes.Create(ctx, note{Text: "hello"})
	if err != nil {
		panic(err)
	}
	var verr *cxkit.ValidationError
	_ = verr
	// PostgreSQL needs a server; linking its driver is what is checked.
	open := postgres.Open
	fmt.Println("consumer: stored a note at version", n.Version, "; postgres driver linked:", open != nil)
}
GO

# The consumer's go.sum starts from the repository's own, so that the
# third-party modules are checked against the hashes this repository was
# tested with (GOSUMDB is off: the cxkit versions served here are not
# published, and a CI machine may not reach a checksum database).
cat $(git ls-files go.sum '*/go.sum') | sort -u >"$tmp/consumer/go.sum"

common=(GOWORK=off GOFLAGS=-mod=mod GOSUMDB=off GONOSUMDB=github.com/cxkit GOTOOLCHAIN=local)

# 1. Third-party modules the consumer needs (for the build, and the go.mod
#    files of its whole module graph), into a cache of its own: from
#    this machine's module cache where it has them (the workspace build
#    filled it), else from the ordinary proxy. cxkit's modules come from
#    the local proxy only: no other proxy has these versions.
(
	cd "$tmp/consumer"
	env "${common[@]}" GOMODCACHE="$tmp/warm" GOPROXY="file://$tmp/proxy,file://$cache,$upstream" \
		sh -c 'go build -trimpath -o /dev/null . && go list -m all >/dev/null'
)

# 2. The consumer, with no network: a fresh module cache, and only file
#    proxies (the local one, then the cache filled in step 1). -trimpath
#    lets the second build reuse the first one's compiled packages.
(
	cd "$tmp/consumer"
	env "${common[@]}" GOMODCACHE="$tmp/modcache" GOPROXY="file://$tmp/proxy,file://$tmp/warm/cache/download" \
		sh -c 'go build -trimpath -o consumer . && go list -m all' | grep '^github.com/cxkit/'
	./consumer
)

# 3. The command-line tool, installed the way its README says, from the
#    same proxy and still without network.
if [[ -f cmd/cxkit/go.mod ]]; then
	env "${common[@]}" GOFLAGS= GOMODCACHE="$tmp/modcache" GOBIN="$tmp/bin" \
		GOPROXY="file://$tmp/proxy,file://$tmp/warm/cache/download" \
		go install -trimpath "github.com/cxkit/cxkit/cmd/cxkit@$version"
	echo "consumer.sh: go install github.com/cxkit/cxkit/cmd/cxkit@$version: $(ls "$tmp/bin")"
fi
echo "consumer.sh: a module outside the workspace built against github.com/cxkit/cxkit, store/file and store/postgres $version from the local proxy"
