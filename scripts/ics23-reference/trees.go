package main

// Seeded trees of the three shapes ICS-23 names, built from ics23's own LeafOp/InnerOp (so every
// hash is the reference's), and their existence and non-existence proofs:
//
//	iavl:       a balanced binary tree in key order; a node's ops carry height, size and version
//	            as IAVL does (varints, then length-prefixed child hashes).
//	tendermint: CometBFT's simple Merkle tree (RFC 6962 split) in key order.
//	smt:        a sparse Merkle tree in the celestiaorg/smt form: leaves ordered by sha256(key),
//	            a subtree with one leaf is that leaf, an empty subtree is 32 zero bytes.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"

	ics23 "github.com/cosmos/ics23/go"
)

type leaf struct {
	key, value []byte
	op         *ics23.LeafOp
	order      []byte // what the tree sorts by: the key, or its hash in an SMT
}

type tree struct {
	shape  string
	rng    *rand.Rand
	leaves []leaf             // in tree order
	paths  [][]*ics23.InnerOp // per leaf, from the leaf up to the root
}

const maxLeaves = 512

func generate(shape string, seed uint64, count int) (response, error) {
	if _, ok := namedSpecs[shape]; !ok {
		return response{}, fmt.Errorf("unknown spec %q", shape)
	}
	if count < 1 || count > maxLeaves {
		return response{}, fmt.Errorf("count must be in 1..%d", maxLeaves)
	}
	t := &tree{shape: shape, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	t.addLeaves(count)
	t.paths = make([][]*ics23.InnerOp, count)
	root, _ := t.node(0, count, 0)

	res := response{Root: hex.EncodeToString(root)}
	for i := range t.leaves {
		proof := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Exist{Exist: t.exist(i)}}
		res.Proofs = append(res.Proofs, t.named("exist", positionOf(i, count), t.leaves[i].key, t.leaves[i].value, proof))
	}
	for _, position := range []string{"left", "middle", "middle", "middle", "right"} {
		key, at, ok := t.absentKey(position)
		if !ok {
			continue // a one-leaf tree has no middle
		}
		nonexist := &ics23.NonExistenceProof{Key: key}
		if at > 0 {
			nonexist.Left = t.exist(at - 1)
		}
		if at < count {
			nonexist.Right = t.exist(at)
		}
		proof := &ics23.CommitmentProof{Proof: &ics23.CommitmentProof_Nonexist{Nonexist: nonexist}}
		res.Proofs = append(res.Proofs, t.named("nonexist", position, key, nil, proof))
	}
	return res, nil
}

func positionOf(i, n int) string {
	switch {
	case i == 0:
		return "left"
	case i == n-1:
		return "right"
	}
	return "middle"
}

func (t *tree) named(kind, position string, key, value []byte, proof *ics23.CommitmentProof) namedProof {
	bz, err := proof.Marshal()
	if err != nil {
		fail(err)
	}
	p := namedProof{Kind: kind, Position: position, Key: hex.EncodeToString(key), Proof: hex.EncodeToString(bz)}
	if value != nil {
		v := hex.EncodeToString(value)
		p.Value = &v
	}
	return p
}

func (t *tree) exist(i int) *ics23.ExistenceProof {
	l := t.leaves[i]
	return &ics23.ExistenceProof{Key: l.key, Value: l.value, Leaf: l.op, Path: t.paths[i]}
}

func (t *tree) randomBytes(min, max int, first func() byte) []byte {
	b := make([]byte, min+t.rng.IntN(max-min+1))
	for i := range b {
		b[i] = byte(t.rng.UintN(256))
	}
	if first != nil {
		b[0] = first()
	}
	return b
}

// Leaf keys start with 0x01…0xfe, so keys starting 0x00 / 0xff fall left / right of all of them.
func (t *tree) middleByte() byte { return byte(1 + t.rng.UintN(254)) }

func (t *tree) orderOf(key []byte) []byte {
	if t.shape == "smt" {
		h := sha256.Sum256(key)
		return h[:]
	}
	return key
}

func (t *tree) addLeaves(count int) {
	seen := map[string]bool{}
	for len(t.leaves) < count {
		key := t.randomBytes(1, 12, t.middleByte)
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		l := leaf{key: key, value: t.randomBytes(1, 20, nil), order: t.orderOf(key)}
		switch t.shape {
		case "iavl":
			// Leaf prefix: height 0, size 1, version.
			l.op = &ics23.LeafOp{
				Hash: ics23.HashOp_SHA256, PrehashKey: ics23.HashOp_NO_HASH, PrehashValue: ics23.HashOp_SHA256,
				Length: ics23.LengthOp_VAR_PROTO, Prefix: varints(0, 1, 1+t.rng.Int64N(1000)),
			}
		case "tendermint":
			l.op = ics23.TendermintSpec.LeafSpec
		case "smt":
			l.op = ics23.SmtSpec.LeafSpec
		}
		t.leaves = append(t.leaves, l)
	}
	sort.Slice(t.leaves, func(i, j int) bool { return bytes.Compare(t.leaves[i].order, t.leaves[j].order) < 0 })
}

// absentKey finds a key not in the tree whose sort position is `position`, and that position
// (the index of its right neighbour).
func (t *tree) absentKey(position string) ([]byte, int, bool) {
	n := len(t.leaves)
	if position == "middle" && n < 2 {
		return nil, 0, false
	}
	for attempt := 0; attempt < 1_000_000; attempt++ {
		var key []byte
		switch {
		case t.shape == "smt":
			key = t.randomBytes(1, 12, nil)
		case position == "left":
			key = t.randomBytes(1, 12, func() byte { return 0x00 })
		case position == "right":
			key = t.randomBytes(1, 12, func() byte { return 0xff })
		default:
			key = t.randomBytes(1, 12, t.middleByte)
		}
		order := t.orderOf(key)
		at := sort.Search(n, func(i int) bool { return bytes.Compare(t.leaves[i].order, order) >= 0 })
		if at < n && bytes.Equal(t.leaves[at].order, order) {
			continue
		}
		if (position == "left") == (at == 0) && (position == "right") == (at == n) {
			return key, at, true
		}
	}
	fail(fmt.Errorf("no absent key at position %s found", position))
	return nil, 0, false
}

// node hashes leaves [lo, hi) (at bit `depth` of the SMT path), appending to each leaf's path the
// op that takes its subtree's hash one level up. Returns the hash and the IAVL height.
func (t *tree) node(lo, hi, depth int) ([]byte, int64) {
	if hi == lo { // only in an SMT
		return ics23.SmtSpec.InnerSpec.EmptyChild, 0
	}
	if hi-lo == 1 {
		l := t.leaves[lo]
		h, err := l.op.Apply(l.key, l.value)
		if err != nil {
			fail(err)
		}
		return h, 0
	}
	mid := t.split(lo, hi, depth)
	left, hl := t.node(lo, mid, depth+1)
	right, hr := t.node(mid, hi, depth+1)
	height := 1 + max(hl, hr)
	var fromLeft, fromRight *ics23.InnerOp
	switch t.shape {
	case "iavl":
		// Node preimage: height, size, version varints ‖ len ‖ left ‖ len ‖ right.
		head := varints(height, int64(hi-lo), 1+t.rng.Int64N(1000))
		fromLeft = &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: cat(head, []byte{32}), Suffix: cat([]byte{32}, right)}
		fromRight = &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: cat(head, []byte{32}, left, []byte{32})}
	default:
		fromLeft = &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: []byte{1}, Suffix: right}
		fromRight = &ics23.InnerOp{Hash: ics23.HashOp_SHA256, Prefix: cat([]byte{1}, left)}
	}
	for i := lo; i < mid; i++ {
		t.paths[i] = append(t.paths[i], fromLeft)
	}
	for i := mid; i < hi; i++ {
		t.paths[i] = append(t.paths[i], fromRight)
	}
	parent, err := fromLeft.Apply(left)
	if err != nil {
		fail(err)
	}
	return parent, height
}

// split returns where the right subtree of leaves [lo, hi) starts.
func (t *tree) split(lo, hi, depth int) int {
	switch t.shape {
	case "tendermint": // the largest power of two below the count, as crypto/merkle
		k := 1
		for k*2 < hi-lo {
			k *= 2
		}
		return lo + k
	case "smt": // the first leaf whose path has bit `depth` set
		return lo + sort.Search(hi-lo, func(i int) bool { return t.leaves[lo+i].order[depth/8]&(0x80>>(depth%8)) != 0 })
	}
	return lo + (hi-lo+1)/2
}

func varints(values ...int64) []byte {
	var out []byte
	for _, v := range values {
		out = binary.AppendVarint(out, v)
	}
	return out
}

func cat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}
