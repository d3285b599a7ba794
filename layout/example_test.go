package layout_test

import (
	"fmt"

	"github.com/gogarage/garage/layout"
)

// Example computes the layout of the seven-node, three-zone cluster of
// Garage's talks (capacities in TB, RF 3, maximum zone redundancy) and
// prints the partitions held per node and per zone.
func Example() {
	const tb = 1_000_000_000_000
	members := []layout.Member{
		{ID: "io", Role: layout.StorageRole("jupiter", 20*tb)},
		{ID: "drosera", Role: layout.StorageRole("atuin", 20*tb)},
		{ID: "datura", Role: layout.StorageRole("atuin", 10*tb)},
		{ID: "digitale", Role: layout.StorageRole("atuin", 10*tb)},
		{ID: "celeri", Role: layout.StorageRole("neptune", 5*tb)},
		{ID: "concombre", Role: layout.StorageRole("neptune", 5*tb)},
		{ID: "courgette", Role: layout.StorageRole("neptune", 5*tb)},
	}
	v, err := layout.Compute(1, members, layout.DefaultParams(3), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := layout.Summarize(nil, &v)
	fmt.Printf("partition size %s, usable capacity %s\n",
		layout.FormatBytes(s.PartitionSize), layout.FormatBytes(s.UsableCapacity))
	for _, z := range s.Zones {
		fmt.Printf("%-8s %3d partitions (%d unique)\n", z.Zone, z.Partitions, z.Unique)
		for _, n := range z.Nodes {
			fmt.Printf("  %-10s %3d\n", n.ID, n.Partitions)
		}
	}
	// Output:
	// partition size 58.1 GB, usable capacity 14.9 TB
	// atuin    256 partitions (256 unique)
	//   datura      64
	//   digitale    63
	//   drosera    129
	// jupiter  256 partitions (256 unique)
	//   io         256
	// neptune  256 partitions (256 unique)
	//   celeri      86
	//   concombre   86
	//   courgette   84
}
