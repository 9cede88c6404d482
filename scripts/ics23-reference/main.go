// Command ics23-reference answers ICS-23 questions with the reference implementation,
// github.com/cosmos/ics23/go (the version go.mod pins), so the project's TypeScript verifier can
// be checked against it.
//
// Protocol: stdin holds a JSON array of requests, stdout receives a JSON array with one response
// per request, in order. Bytes travel as lowercase hex; proofs, ops and specs as protobuf bytes.
//
//	{"op":"generate","spec":"iavl|tendermint|smt","seed":N,"count":K}
//	    → {"root":…, "proofs":[{"kind":"exist|nonexist","position":"left|middle|right","key":…,"value":…,"proof":…}]}
//	{"op":"verify","spec":…|"specProto":…,"root":…,"proof":…,"key":…[,"value":…]}
//	    → {"ok":bool,"error":…}     membership when value is given, else non-membership
//	{"op":"leaf","leafOp":…,"key":…,"value":…}     → {"result":…} or {"error":…}   (LeafOp.Apply)
//	{"op":"inner","innerOp":…,"child":…}           → {"result":…} or {"error":…}   (InnerOp.Apply)
//	{"op":"calculate","existence":…}               → {"result":…} or {"error":…}   (ExistenceProof.Calculate)
//	{"op":"check","existence":…,"spec":…}          → {"ok":bool,"error":…}         (ExistenceProof.CheckAgainstSpec)
//
// A panic inside the reference code is reported as {"ok":false,"error":"panic: …"}: a proof that
// makes the verifier panic is not accepted.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	ics23 "github.com/cosmos/ics23/go"
)

type request struct {
	Op        string `json:"op"`
	Spec      string `json:"spec"`
	SpecProto string `json:"specProto"`
	// ProofSpec field 5, set on specProto: lets callers whose protobuf types predate it pass it.
	PrehashKeyBeforeComparison bool    `json:"prehashKeyBeforeComparison"`
	Seed                       uint64  `json:"seed"`
	Count                      int     `json:"count"`
	Root                       string  `json:"root"`
	Proof                      string  `json:"proof"`
	Key                        string  `json:"key"`
	Value                      *string `json:"value"`
	LeafOp                     string  `json:"leafOp"`
	InnerOp                    string  `json:"innerOp"`
	Child                      string  `json:"child"`
	Existence                  string  `json:"existence"`
}

type response struct {
	Ok     *bool        `json:"ok,omitempty"`
	Error  string       `json:"error,omitempty"`
	Result string       `json:"result,omitempty"`
	Root   string       `json:"root,omitempty"`
	Proofs []namedProof `json:"proofs,omitempty"`
}

type namedProof struct {
	Kind     string  `json:"kind"`
	Position string  `json:"position"`
	Key      string  `json:"key"`
	Value    *string `json:"value,omitempty"`
	Proof    string  `json:"proof"`
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var requests []request
	if err := json.Unmarshal(input, &requests); err != nil {
		fail(fmt.Errorf("stdin must be a JSON array of requests: %w", err))
	}
	responses := make([]response, len(requests))
	for i, req := range requests {
		res, err := answer(req)
		if err != nil {
			fail(fmt.Errorf("request %d (%s): %w", i, req.Op, err))
		}
		responses[i] = res
	}
	if err := json.NewEncoder(os.Stdout).Encode(responses); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ics23-reference:", err)
	os.Exit(2)
}

// answer returns an error only for a request it cannot understand; a rejected proof is an answer.
func answer(req request) (response, error) {
	switch req.Op {
	case "generate":
		return generate(req.Spec, req.Seed, req.Count)
	case "verify":
		return verify(req)
	case "leaf":
		op := &ics23.LeafOp{}
		if err := unmarshalHex(req.LeafOp, op); err != nil {
			return response{}, err
		}
		return applied(func() ([]byte, error) { return op.Apply(mustHex(req.Key), mustHex(deref(req.Value))) }), nil
	case "inner":
		op := &ics23.InnerOp{}
		if err := unmarshalHex(req.InnerOp, op); err != nil {
			return response{}, err
		}
		return applied(func() ([]byte, error) { return op.Apply(mustHex(req.Child)) }), nil
	case "calculate":
		proof := &ics23.ExistenceProof{}
		if err := unmarshalHex(req.Existence, proof); err != nil {
			return response{}, err
		}
		return applied(func() ([]byte, error) { return proof.Calculate() }), nil
	case "check":
		proof := &ics23.ExistenceProof{}
		if err := unmarshalHex(req.Existence, proof); err != nil {
			return response{}, err
		}
		spec, err := specOf(req)
		if err != nil {
			return response{}, err
		}
		return verdict(func() error { return proof.CheckAgainstSpec(spec) }), nil
	}
	return response{}, fmt.Errorf("unknown op %q", req.Op)
}

// verify gives the public API's answer (VerifyMembership / VerifyNonMembership) and, when it is
// false, the reason the underlying Verify gives.
func verify(req request) (response, error) {
	spec, err := specOf(req)
	if err != nil {
		return response{}, err
	}
	proof := &ics23.CommitmentProof{}
	if err := unmarshalHex(req.Proof, proof); err != nil {
		return response{}, err
	}
	root, key := mustHex(req.Root), mustHex(req.Key)
	return verdict(func() error {
		if req.Value != nil {
			value := mustHex(*req.Value)
			if ics23.VerifyMembership(spec, root, proof, key, value) {
				return nil
			}
			if exist := proof.GetExist(); exist != nil {
				if err := exist.Verify(spec, root, key, value); err != nil {
					return err
				}
			}
			return fmt.Errorf("no existence proof for the key")
		}
		if ics23.VerifyNonMembership(spec, root, proof, key) {
			return nil
		}
		if nonexist := proof.GetNonexist(); nonexist != nil {
			if err := nonexist.Verify(spec, root, key); err != nil {
				return err
			}
		}
		return fmt.Errorf("no non-existence proof for the key")
	}), nil
}

func applied(run func() ([]byte, error)) (res response) {
	defer func() {
		if r := recover(); r != nil {
			res = response{Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
	out, err := run()
	if err != nil {
		return response{Error: err.Error()}
	}
	return response{Result: hex.EncodeToString(out)}
}

func verdict(run func() error) (res response) {
	no := false
	defer func() {
		if r := recover(); r != nil {
			res = response{Ok: &no, Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
	if err := run(); err != nil {
		return response{Ok: &no, Error: err.Error()}
	}
	yes := true
	return response{Ok: &yes}
}

var namedSpecs = map[string]*ics23.ProofSpec{
	"iavl":       ics23.IavlSpec,
	"tendermint": ics23.TendermintSpec,
	"smt":        ics23.SmtSpec,
}

func specOf(req request) (*ics23.ProofSpec, error) {
	if req.SpecProto != "" {
		spec := &ics23.ProofSpec{}
		if err := unmarshalHex(req.SpecProto, spec); err != nil {
			return nil, err
		}
		spec.PrehashKeyBeforeComparison = spec.PrehashKeyBeforeComparison || req.PrehashKeyBeforeComparison
		return spec, nil
	}
	spec, ok := namedSpecs[req.Spec]
	if !ok {
		return nil, fmt.Errorf("unknown spec %q (iavl, tendermint, smt, or specProto)", req.Spec)
	}
	return spec, nil
}

func unmarshalHex(s string, msg interface{ Unmarshal([]byte) error }) error {
	b, err := hex.DecodeString(s)
	if err != nil {
		return err
	}
	return msg.Unmarshal(b)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// mustHex decodes request bytes; malformed hex is the caller's bug, so it stops the program.
func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		fail(fmt.Errorf("bad hex %q: %w", s, err))
	}
	return b
}
