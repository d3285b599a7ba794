// Package maporder is the fixture of the maporder analyser, run with
// -scope=maporder/...: ranges whose order can leak (want comments), the
// order-insensitive forms and //det:ok lines (none).
package maporder
