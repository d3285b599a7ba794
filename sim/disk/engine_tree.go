//go:build !memdbkv

package disk

func newEngine(d *Disk) engine { return newKV(d) }
