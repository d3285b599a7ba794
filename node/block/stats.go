package block

// RCEntries returns the number of reference count entries of this node:
// about the number of blocks it stores or is about to collect (Garage's
// "number of RC entries"). It reads them all: for statistics.
func (m *Manager) RCEntries() (int, error) { return m.countTree(treeRC) }
