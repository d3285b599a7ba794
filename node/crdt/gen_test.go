package crdt

import "math/rand/v2"

func genBool(r *rand.Rand) Bool { return r.IntN(2) == 1 }

func genU64(r *rand.Rand) Uint64 {
	if r.IntN(8) == 0 {
		return Uint64(r.Uint64())
	}
	return Uint64(r.IntN(4))
}

func genString(r *rand.Rand) String {
	return String([]string{"", "a", "b", "ab", "b\x00", "\xff"}[r.IntN(6)])
}

func genKey(r *rand.Rand) String { return String("k" + string(rune('0'+r.IntN(4)))) }

func genBytes(r *rand.Rand) Bytes {
	return []Bytes{nil, {}, {0}, {0, 0}, {1}, {0xff}}[r.IntN(6)]
}

func genMaxU64(r *rand.Rand) Max[Uint64] { return Max[Uint64]{genU64(r)} }

func genMaxString(r *rand.Rand) Max[String] { return Max[String]{genString(r)} }

// genTS returns small timestamps, so that ties are common.
func genTS(r *rand.Rand) uint64 { return uint64(r.IntN(3)) }

func genLWW[T Value[T]](g gen[T]) gen[LWW[T]] {
	return func(r *rand.Rand) LWW[T] { return NewLWW(genTS(r), g(r)) }
}

var genLWWString = genLWW(genString)

func genDeletable[T Mergeable[T]](g gen[T]) gen[Deletable[T]] {
	return func(r *rand.Rand) Deletable[T] {
		if r.IntN(4) == 0 {
			return Deleted[T]()
		}
		return Present(g(r))
	}
}

func genLWWMap[K Key[K], V Value[V]](gk gen[K], gv gen[V]) gen[LWWMap[K, V]] {
	return func(r *rand.Rand) LWWMap[K, V] {
		var m LWWMap[K, V]
		for range r.IntN(4) {
			m = m.Put(gk(r), NewLWW(genTS(r), gv(r)))
		}
		return m
	}
}

func genMap[K Key[K], V Mergeable[V]](gk gen[K], gv gen[V]) gen[Map[K, V]] {
	return func(r *rand.Rand) Map[K, V] {
		var m Map[K, V]
		for range r.IntN(4) {
			m = m.Put(gk(r), gv(r))
		}
		return m
	}
}
