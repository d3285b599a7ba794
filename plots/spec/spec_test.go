package spec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// latency is the seed's graph: mean latency per endpoint with min–max
// error bars, four sources side by side.
func latency() Figure {
	return Figure{
		Name: "latency",
		Data: "latency.csv",
		Bar: &Bar{
			Title:    "S3 latency, 5 nodes, 100 ms RTT ± 20 ms",
			Category: "endpoint", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "source",
			SeriesOrder: []string{"ours (sim)", "Garage 0.5.0 (published)"},
			XAxis:       Axis{Label: "Endpoint"},
			YAxis:       Axis{Label: "Latency", Unit: "ms", Log: true},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Figure)
		want string // substring of the error; "" for none
	}{
		{"ok", func(*Figure) {}, ""},
		{"no name", func(f *Figure) { f.Name = "" }, `name ""`},
		{"path in name", func(f *Figure) { f.Name = "../x" }, `name "../x"`},
		{"no data", func(f *Figure) { f.Data = "" }, "data: no CSV"},
		{"no kind", func(f *Figure) { f.Bar = nil }, "no figure kind"},
		{"two kinds", func(f *Figure) { f.CDF = &CDF{Value: "v"} }, "several figure kinds [bar cdf]"},
		{"no value", func(f *Figure) { f.Bar.Value = "" }, "bar: value: no column named"},
		{"log categories", func(f *Figure) { f.Bar.XAxis.Log = true }, "x_axis: a category axis"},
		{"empty range", func(f *Figure) { f.Bar.YAxis.Min, f.Bar.YAxis.Max = ptr(5), ptr(5) }, "min 5 is not below max 5"},
		{"log min 0", func(f *Figure) { f.Bar.YAxis.Min = ptr(0) }, "log axis with min 0"},
		{"negative size", func(f *Figure) { f.Output.DPI = -1 }, "output: negative size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := latency()
			tt.edit(&f)
			checkErr(t, f.Validate(), tt.want)
		})
	}
}

func TestValidateKinds(t *testing.T) {
	tests := []struct {
		name string
		fig  Figure
		want string
	}{
		{"line", Figure{Line: &Line{X: "nodes"}}, "line: y: no column named"},
		{"timeseries no panels", Figure{TimeSeries: &TimeSeries{X: "t_s"}}, "panels: none"},
		{"timeseries panel y", Figure{TimeSeries: &TimeSeries{X: "t_s", Panels: []Panel{{}}}}, "panels[0].y"},
		{"window order", Figure{TimeSeries: &TimeSeries{X: "t", Panels: []Panel{{Y: "y"}}, Windows: []Window{{Start: 3, End: 1}}}}, "windows[0]: start 3 after end 1"},
		{"window table", Figure{TimeSeries: &TimeSeries{X: "t", Panels: []Panel{{Y: "y"}}, WindowData: &WindowTable{Data: "f.csv", Start: "s"}}}, "window_data.end"},
		{"heatmap log", Figure{HeatMap: &HeatMap{X: "a", Y: "b", Value: "v", ColorAxis: Axis{Log: true}}}, "log scale"},
		{"heatmap format", Figure{HeatMap: &HeatMap{X: "a", Y: "b", Value: "v", Format: "%d"}}, `format "%d"`},
		{"heatmap no verb", Figure{HeatMap: &HeatMap{X: "a", Y: "b", Value: "v", Format: "n"}}, `format "n"`},
		{"heatmap ok", Figure{HeatMap: &HeatMap{X: "a", Y: "b", Value: "v", Format: "%.1f%%"}}, ""},
		{"cdf log y", Figure{CDF: &CDF{Value: "v", YAxis: Axis{Log: true}}}, "no log scale"},
		{"box", Figure{Box: &Box{Category: "c"}}, "box: value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fig.Name, tt.fig.Data = "f", "f.csv"
			checkErr(t, tt.fig.Validate(), tt.want)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("error %v, want none", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("error %v, want one containing %q", err, want)
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	f := latency()
	f.Output = Output{WidthCM: 12, EmbedFonts: true}
	b, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(Marshal(f)): %v\n%s", err, b)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip changed the figure:\n got %+v\nwant %+v", got, f)
	}
	again, _ := Marshal(got)
	if string(again) != string(b) {
		t.Errorf("Marshal is not stable:\n%s\n%s", b, again)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"name": "x", "data": "x.csv", "bar": {"category": "c", "valu": "v"}}`, `json: unknown field "valu"`},
		{"{\n  \"name\": 3}", "2:11: json: cannot unmarshal number"},
		{"{\n\n  \"name\" \"x\"}", "3:10: invalid character"},
		{`{"name": "x", "data": "x.csv", "cdf": {"value": "v"}} {}`, "1:55: more than one JSON value"},
		{`{"name": "x", "data": "x.csv"}`, `figure "x": no figure kind`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		checkErr(t, err, tt.want)
	}
}

func TestAxisTitle(t *testing.T) {
	tests := []struct {
		a    Axis
		want string
	}{
		{Axis{}, "mean_ms"},
		{Axis{Label: "Latency"}, "Latency"},
		{Axis{Unit: "ms"}, "mean_ms (ms)"},
		{Axis{Label: "Latency", Unit: "ms"}, "Latency (ms)"},
	}
	for _, tt := range tests {
		if got := tt.a.Title("mean_ms"); got != tt.want {
			t.Errorf("%+v.Title = %q, want %q", tt.a, got, tt.want)
		}
	}
}

func TestOutputDefaults(t *testing.T) {
	got := Output{HeightCM: 6}.WithDefaults()
	want := Output{WidthCM: DefaultWidthCM, HeightCM: 6, DPI: DefaultDPI}
	if got != want {
		t.Errorf("WithDefaults = %+v, want %+v", got, want)
	}
}

// ExampleMarshal prints the figure.json an experiment writes for the
// seed's latency graph.
func ExampleMarshal() {
	f := Figure{
		Name: "latency",
		Data: "latency.csv",
		Bar: &Bar{
			Title:    "S3 latency, 5 nodes, 100 ms RTT ± 20 ms",
			Category: "endpoint", Value: "mean_ms", Low: "min_ms", High: "max_ms",
			Series: "source",
			YAxis:  Axis{Label: "Latency", Unit: "ms", Log: true},
		},
	}
	b, _ := Marshal(f)
	fmt.Print(string(b))
	// Output:
	// {
	//   "name": "latency",
	//   "data": "latency.csv",
	//   "bar": {
	//     "title": "S3 latency, 5 nodes, 100 ms RTT ± 20 ms",
	//     "category": "endpoint",
	//     "value": "mean_ms",
	//     "low": "min_ms",
	//     "high": "max_ms",
	//     "series": "source",
	//     "y_axis": {
	//       "label": "Latency",
	//       "unit": "ms",
	//       "log": true
	//     }
	//   }
	// }
}
