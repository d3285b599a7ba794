package layout

import "fmt"

// FormatBytes renders n bytes with a decimal unit, as Garage's CLI does
// ("1000.0 MB", "3.9 GB"); values under 1000 are printed exactly.
func FormatBytes(n int64) string {
	if n < 1000 && n > -1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KB", "MB", "GB", "TB", "PB", "EB"}
	f := float64(n) / 1000
	u := 0
	for (f >= 1000 || f <= -1000) && u < len(units)-1 {
		f /= 1000
		u++
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}
