package nodeio

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/url"
	"path/filepath"
)

// Pure path manipulation, formatting into a writer the caller owns and
// loggers built on one are fine.

func blockPath(dir, name string) string { return filepath.Join(dir, name[:2], name) }

func format(w io.Writer, u *url.URL) string {
	_, _ = fmt.Fprintf(w, "%s", u)
	var b bytes.Buffer
	log.New(&b, "", 0).Print("x")
	slog.New(slog.NewTextHandler(&b, nil)).Info("x")
	return fmt.Sprintf("%s %s", u.Path, b.String())
}
