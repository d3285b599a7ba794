package plots

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/plots/spec"
)

var update = flag.Bool("update", false, "rewrite the golden SVG hashes under testdata")

// figure is one testdata spec with its chart drawn both ways.
type figure struct {
	spec     spec.Figure
	svg, png []byte
}

// drawTestdata builds every spec of testdata and draws it twice, failing
// if the two drawings differ by a byte.
func drawTestdata(t *testing.T) []figure {
	t.Helper()
	paths, err := SpecFiles("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []figure
	for _, path := range paths {
		f, err := ReadSpec(path)
		if err != nil {
			t.Fatal(err)
		}
		a, b := drawFigure(t, f), drawFigure(t, f)
		if !bytes.Equal(a.svg, b.svg) || !bytes.Equal(a.png, b.png) {
			t.Errorf("%s: two drawings of one chart differ", f.Name)
		}
		out = append(out, a)
	}
	return out
}

func drawFigure(t *testing.T, f spec.Figure) figure {
	t.Helper()
	ch, err := Build("testdata", f)
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	var svg, png bytes.Buffer
	if err := ch.WriteSVG(&svg, f.Output); err != nil {
		t.Fatal(err)
	}
	if err := ch.WritePNG(&png, f.Output); err != nil {
		t.Fatal(err)
	}
	return figure{spec: f, svg: svg.Bytes(), png: png.Bytes()}
}

// TestTestdataCoversEveryKind keeps the figure tests from passing
// vacuously: testdata holds at least one spec of each kind.
func TestTestdataCoversEveryKind(t *testing.T) {
	paths, _ := SpecFiles("testdata")
	seen := map[string]bool{}
	for _, path := range paths {
		f, err := ReadSpec(path)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := f.Kind()
		seen[k] = true
	}
	for _, k := range []string{"bar", "line", "timeseries", "heatmap", "cdf", "box"} {
		if !seen[k] {
			t.Errorf("no testdata figure of kind %s", k)
		}
	}
}

func TestPNGIsSizedAndNotBlank(t *testing.T) {
	for _, f := range drawTestdata(t) {
		img, err := png.Decode(bytes.NewReader(f.png))
		if err != nil {
			t.Fatalf("%s: %v", f.spec.Name, err)
		}
		o := f.spec.Output.WithDefaults()
		wantW, wantH := pixels(o.WidthCM, o.DPI), pixels(o.HeightCM, o.DPI)
		if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
			t.Errorf("%s: %dx%d pixels, want %dx%d", f.spec.Name, b.Dx(), b.Dy(), wantW, wantH)
		}
		if ink, colors := inkAndColors(img); ink < 0.02 || colors < 4 {
			t.Errorf("%s: %.1f%% of pixels inked in %d colours: looks blank", f.spec.Name, 100*ink, colors)
		}
	}
}

func pixels(cm float64, dpi int) int { return int(math.Ceil(cm / 2.54 * float64(dpi))) }

// inkAndColors returns the share of pixels that are not white and the
// number of distinct colours.
func inkAndColors(img image.Image) (ink float64, colors int) {
	b := img.Bounds()
	seen := map[color.RGBA64]bool{}
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA64{R: uint16(r), G: uint16(g), B: uint16(bl), A: uint16(a)}] = true
			if r != 0xffff || g != 0xffff || bl != 0xffff {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy()), len(seen)
}

func TestSVGIsWellFormed(t *testing.T) {
	for _, f := range drawTestdata(t) {
		root, texts, err := scanSVG(f.svg)
		if err != nil {
			t.Errorf("%s: %v", f.spec.Name, err)
			continue
		}
		if root != "svg" || texts < 5 {
			t.Errorf("%s: root <%s> with %d texts, want <svg> with titles and labels", f.spec.Name, root, texts)
		}
		if strings.Contains(string(f.svg), "Serif") || !strings.Contains(string(f.svg), "font-family:Liberation Sans") {
			t.Errorf("%s: text is not all in Liberation Sans", f.spec.Name)
		}
	}
}

// scanSVG parses doc as XML to the end and returns its root element name
// and the number of <text> elements.
func scanSVG(doc []byte) (root string, texts int, err error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, texts, nil
		}
		if err != nil {
			return root, texts, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "text" {
				texts++
			}
		}
	}
}

// TestGoldenSVGHashes pins the SVG of every testdata figure by its
// SHA-256 in testdata/<name>.svg.sha256 (sha256sum's format). Rewrite
// them with -update after a deliberate change of the drawing. Floating
// point results, and so the hashes, are pinned on amd64 only.
func TestGoldenSVGHashes(t *testing.T) {
	for _, f := range drawTestdata(t) {
		sum := sha256.Sum256(f.svg)
		line := fmt.Sprintf("%s  %s.svg\n", hex.EncodeToString(sum[:]), f.spec.Name)
		path := filepath.Join("testdata", f.spec.Name+".svg.sha256")
		if *update {
			if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		switch {
		case err != nil:
			t.Errorf("%v (run go test ./plots -update to write it)", err)
		case runtime.GOARCH != "amd64":
			t.Logf("%s: hashes are pinned on amd64; here %s", f.spec.Name, line)
		case string(want) != line:
			t.Errorf("%s: SVG hash %s, golden %s(go test ./plots -update if the change is meant)", f.spec.Name, line, want)
		}
	}
}

func TestEmbeddedFontsAreStable(t *testing.T) {
	f, err := ReadSpec(filepath.Join("testdata", "latency.figure.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.Output.EmbedFonts = true
	a, b := drawFigure(t, f), drawFigure(t, f)
	if !bytes.Equal(a.svg, b.svg) {
		t.Error("two SVGs with embedded fonts differ")
	}
	if n := strings.Count(string(a.svg), "@font-face"); n != 1 {
		t.Errorf("%d @font-face rules, want 1 (Liberation Sans regular)", n)
	}
	if _, _, err := scanSVG(a.svg); err != nil {
		t.Error(err)
	}
}

func TestRender(t *testing.T) {
	dir := copyDir(t, "testdata")
	if err := Render(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range drawTestdata(t) {
		got, err := os.ReadFile(filepath.Join(dir, f.spec.Name+".svg"))
		if err != nil || !bytes.Equal(got, f.svg) {
			t.Errorf("%s.svg: Render wrote other bytes than Build and WriteSVG (%v)", f.spec.Name, err)
		}
		if st, err := os.Stat(filepath.Join(dir, f.spec.Name+".png")); err != nil || st.Size() == 0 || st.Mode().Perm() != 0o644 {
			t.Errorf("%s.png: %v, %v", f.spec.Name, st, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestRenderErrors(t *testing.T) {
	bad := copyDir(t, filepath.Join("testdata", "bad"))
	dup := copyDir(t, "testdata")
	copyFile(t, filepath.Join(dup, "latency.figure.json"), filepath.Join(dup, "again.figure.json"))
	badSpec := t.TempDir()
	writeText(t, filepath.Join(badSpec, "figure.json"), `{"name": "x", "data": "x.csv", "bar": {"category": "c"}}`)
	tests := []struct{ dir, want string }{
		{t.TempDir(), "no figure.json or *.figure.json"},
		{bad, filepath.Join(bad, "latency.figure.json") + ": " + filepath.Join(bad, "latency.csv") + `:3:22: column "mean_ms": "fast" is not a finite number`},
		{dup, `figure "latency" is also drawn by ` + filepath.Join(dup, "again.figure.json")},
		{badSpec, filepath.Join(badSpec, "figure.json") + `: figure "x": bar: value: no column named`},
		{filepath.Join(t.TempDir(), "none"), "no such file"},
	}
	for _, tt := range tests {
		err := Render(tt.dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Render(%s) = %v, want an error containing %q", tt.dir, err, tt.want)
		}
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
		}
	}
	return dst
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, dst, string(b))
}

func writeText(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ExampleRender draws the figures an experiment left in its results
// directory.
func ExampleRender() {
	dir, _ := os.MkdirTemp("", "results")
	defer os.RemoveAll(dir)
	csv := "endpoint,mean_ms,min_ms,max_ms\nGetObject,129,90,170\nPutObject,121,85,160\n"
	fig := `{"name": "latency", "data": "latency.csv",
	  "bar": {"category": "endpoint", "value": "mean_ms", "low": "min_ms", "high": "max_ms"}}`
	os.WriteFile(filepath.Join(dir, "latency.csv"), []byte(csv), 0o644)
	os.WriteFile(filepath.Join(dir, "latency.figure.json"), []byte(fig), 0o644)
	if err := Render(dir); err != nil {
		fmt.Println(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "latency.*"))
	for _, f := range slices.Sorted(slices.Values(files)) {
		fmt.Println(filepath.Base(f))
	}
	// Output:
	// latency.csv
	// latency.figure.json
	// latency.png
	// latency.svg
}
