package crdt
