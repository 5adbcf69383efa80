// Command modproxy lays out a file-based Go module proxy (GOPROXY=file://DIR)
// serving every module found in a source tree at one version, so that CI
// can build a consumer against this repository's modules as a user would
// get them, without tags and without the network. It uses only the
// standard library, so that it runs wherever the go command does.
//
//	go run ./.ci/modproxy -src TREE -out DIR -version v1.2.3 -time 2026-01-02T03:04:05Z
//
// For each module (a directory with a go.mod) it writes, under
// DIR/<escaped module path>/@v/: list, <version>.info, <version>.mod and
// <version>.zip. The zip follows the module zip rules: every file under
// "<module>@<version>/", regular files only, nested modules (directories
// with their own go.mod) and version-control directories left out, and
// file names the go command accepts.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
)

func main() {
	src := flag.String("src", "", "source tree: the repository's files, e.g. from git archive")
	out := flag.String("out", "", "proxy directory to write")
	version := flag.String("version", "", "version every module is served at, e.g. v1.0.0")
	stamp := flag.String("time", "", "commit time, RFC 3339 (default now)")
	flag.Parse()
	if *src == "" || *out == "" || !strings.HasPrefix(*version, "v") {
		flag.Usage()
		os.Exit(2)
	}
	t := time.Now().UTC()
	if *stamp != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, *stamp); err != nil {
			fail(err)
		}
	}
	mods, err := findModules(*src)
	if err != nil {
		fail(err)
	}
	for _, dir := range mods {
		mod, err := modulePath(filepath.Join(dir, "go.mod"))
		if err != nil {
			fail(err)
		}
		if err := serve(dir, mod, *version, t.UTC(), *out); err != nil {
			fail(fmt.Errorf("%s: %w", mod, err))
		}
		fmt.Printf("modproxy: %s@%s\n", mod, *version)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "modproxy:", err)
	os.Exit(1)
}

// findModules returns the directories of src that hold a go.mod.
func findModules(src string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && skipDir(d.Name()) && p != src {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	return dirs, err
}

// skipDir reports directories that never belong in a module zip.
func skipDir(name string) bool {
	switch name {
	case ".git", ".hg", ".svn", ".bzr", "vendor":
		return true
	}
	return false
}

// modulePath reads the module line of a go.mod.
func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", gomod)
}

// escape is the proxy's case encoding: an upper-case letter becomes '!'
// and its lower case.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func serve(dir, mod, version string, t time.Time, out string) error {
	vdir := filepath.Join(out, filepath.FromSlash(escape(mod)), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, t})
	if err != nil {
		return err
	}
	zipData, err := moduleZip(dir, mod, version)
	if err != nil {
		return err
	}
	list := []byte(version + "\n")
	for name, data := range map[string][]byte{
		"list":            list,
		version + ".info": info,
		version + ".mod":  gomod,
		version + ".zip":  zipData,
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleZip zips the module in dir by the module zip rules.
func moduleZip(dir, mod, version string) ([]byte, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if skipDir(d.Name()) {
				return filepath.SkipDir
			}
			// A directory with its own go.mod is another module.
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // symbolic links and the like are never in a module zip
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if err := checkFilePath(rel); err != nil {
			return err
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	seen := map[string]string{}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, rel := range files {
		// The go command refuses zips whose names collide when case is
		// folded, since they cannot be extracted on every file system.
		if other, ok := seen[strings.ToLower(rel)]; ok {
			return nil, fmt.Errorf("%s and %s differ only in case", other, rel)
		}
		seen[strings.ToLower(rel)] = rel
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: mod + "@" + version + "/" + rel, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	const maxZip = 500 << 20
	if buf.Len() > maxZip {
		return nil, errors.New("module zip over 500 MiB")
	}
	return buf.Bytes(), nil
}

// checkFilePath applies the go command's rules for file names in modules:
// clean, relative, slash-separated, each element non-empty, not "." or
// "..", without a trailing dot, of letters, digits and a few punctuation
// characters.
func checkFilePath(p string) error {
	if p == "" || path.Clean(p) != p || strings.HasPrefix(p, "/") {
		return fmt.Errorf("file %q: not a clean relative path", p)
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." || strings.HasSuffix(elem, ".") {
			return fmt.Errorf("file %q: bad path element %q", p, elem)
		}
		for _, r := range elem {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("!#$%&()+,-.=@[]^_{}~ ", r)) {
				return fmt.Errorf("file %q: character %q is not allowed in a module file name", p, r)
			}
		}
	}
	return nil
}
