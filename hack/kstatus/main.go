// Command kstatus prints the kstatus result (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute) of each Kubernetes
// object it reads: the health Flux and kpt see. Input on stdin, JSON or YAML: one object, several YAML documents, or
// a list (`kubectl get KIND -o json`). Output: one JSON line per object, {"kind","namespace","name","status","message"}.
//
//	kubectl get gatewaydeployment openclaw -o json | kstatus
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Message   string `json:"message"`
}

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "usage: kstatus < OBJECT.{json,yaml}")
		os.Exit(64)
	}
	out := json.NewEncoder(os.Stdout)
	decoder := utilyaml.NewYAMLOrJSONDecoder(bufio.NewReader(os.Stdin), 4096)
	count := 0
	for {
		var raw json.RawMessage
		if err := decoder.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			fail("cannot read the input: %v", err)
		}
		if len(raw) == 0 || string(raw) == "null" {
			continue // an empty YAML document
		}
		// apimachinery's json keeps whole numbers int64 (generation, observedGeneration), as Compute expects.
		var doc map[string]interface{}
		if err := utiljson.Unmarshal(raw, &doc); err != nil {
			fail("cannot read the input: %v", err)
		}
		objects := []map[string]interface{}{doc}
		if items, ok := doc["items"].([]interface{}); ok {
			objects = objects[:0]
			for _, item := range items {
				if o, ok := item.(map[string]interface{}); ok {
					objects = append(objects, o)
				}
			}
		}
		for _, o := range objects {
			u := &unstructured.Unstructured{Object: o}
			r, err := status.Compute(u)
			if err != nil {
				fail("%s/%s: %v", u.GetKind(), u.GetName(), err)
			}
			if err := out.Encode(result{u.GetKind(), u.GetNamespace(), u.GetName(), r.Status.String(), r.Message}); err != nil {
				fail("cannot write: %v", err)
			}
			count++
		}
	}
	if count == 0 {
		fail("no object on stdin")
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kstatus: "+format+"\n", args...)
	os.Exit(1)
}
