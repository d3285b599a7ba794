package catalog

import (
	"github.com/gogarage/garage/experiments/consistency"
	"github.com/gogarage/garage/experiments/fidelity"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/latency"
	"github.com/gogarage/garage/experiments/rebalance"
	"github.com/gogarage/garage/experiments/scaling"
	"github.com/gogarage/garage/experiments/variants"
	"github.com/gogarage/garage/experiments/zonefail"
)

// All returns every experiment.
func All() lab.Registry {
	return lab.Registry{latency.Experiment(), latency.ThreeDC(), scaling.Experiment(), zonefail.Experiment(), rebalance.Experiment(),
		consistency.Experiment(), variants.Experiment(), fidelity.Experiment()}
}
