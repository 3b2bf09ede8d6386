// Command opa-authz is a Docker authorization plugin (the legacy plugin protocol, served on a unix socket) that asks
// OPA's Rego engine for every request, the way OPA's opa-docker-authz does with -policy-file: the request becomes the
// input document (Method, Path, PathPlain, PathArr, Query, Headers, Body, User, AuthMethod, BindMounts with their
// resolved paths), the allow rule decides, and a denial says "request rejected by administrative policy".
//
// It exists because the module proxy refuses github.com/open-policy-agent/opa-docker-authz (403, "This module
// version is not available") while OPA and Docker's plugin helpers themselves are served: hack/opa-docker-authz.sh
// builds the real plugin when it can and this one otherwise, and says which.
//
//	opa-authz -policy-file FILE -socket PATH [-allow-path data.docker.authz.allow] [-prepared] [-log]
//
// By default the policy is read and compiled for every request, as opa-docker-authz's -policy-file mode does (it
// picks up edits without a restart); -prepared compiles it once at start, which is what its bundle mode amounts to.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/docker/go-plugins-helpers/authorization"
	"github.com/open-policy-agent/opa/v1/rego"
)

const rejected = "request rejected by administrative policy"

type plugin struct {
	policyFile string
	allowPath  string
	prepared   *rego.PreparedEvalQuery
	logAll     bool
}

func (p *plugin) AuthZReq(r authorization.Request) authorization.Response {
	allowed, err := p.decide(context.Background(), r)
	if p.logAll || err != nil {
		log.Printf("%s %s: allowed=%v err=%v", r.RequestMethod, r.RequestURI, allowed, err)
	}
	switch {
	case allowed:
		return authorization.Response{Allow: true}
	case err != nil:
		return authorization.Response{Err: err.Error()}
	default:
		return authorization.Response{Msg: rejected}
	}
}

// Responses are not judged.
func (p *plugin) AuthZRes(authorization.Request) authorization.Response {
	return authorization.Response{Allow: true}
}

func (p *plugin) decide(ctx context.Context, r authorization.Request) (bool, error) {
	in, err := input(r)
	if err != nil {
		return false, err
	}
	var rs rego.ResultSet
	if p.prepared != nil {
		rs, err = p.prepared.Eval(ctx, rego.EvalInput(in))
	} else {
		src, readErr := os.ReadFile(p.policyFile)
		if readErr != nil {
			return false, readErr
		}
		rs, err = rego.New(rego.Query(p.allowPath), rego.Module(p.policyFile, string(src)), rego.Input(in)).Eval(ctx)
	}
	if err != nil {
		return false, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return false, nil // undefined: deny
	}
	allowed, ok := rs[0].Expressions[0].Value.(bool)
	if !ok {
		return false, fmt.Errorf("the policy's decision is not a boolean")
	}
	return allowed, nil
}

type bindMount struct {
	Source   string
	ReadOnly bool
	Resolved string
}

func input(r authorization.Request) (map[string]any, error) {
	var body map[string]any
	if len(r.RequestBody) > 0 && strings.HasPrefix(r.RequestHeaders["Content-Type"], "application/json") {
		if err := json.Unmarshal(r.RequestBody, &body); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(r.RequestURI)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"Method":     r.RequestMethod,
		"Path":       r.RequestURI,
		"PathPlain":  u.Path,
		"PathArr":    strings.Split(u.Path, "/"),
		"Query":      u.Query(),
		"Headers":    r.RequestHeaders,
		"Body":       body,
		"User":       r.User,
		"AuthMethod": r.UserAuthNMethod,
		"BindMounts": bindMounts(body),
	}, nil
}

// The host paths of binds (HostConfig.Binds and bind-type Mounts), each also with symlinks resolved and cleaned, so a
// policy can judge where a bind really leads.
func bindMounts(body map[string]any) []bindMount {
	host, _ := body["HostConfig"].(map[string]any)
	var mounts []bindMount
	binds, _ := host["Binds"].([]any)
	for _, b := range binds {
		s, _ := b.(string)
		if !strings.HasPrefix(s, "/") {
			continue // a named volume
		}
		parts := strings.Split(s, ":")
		readOnly := false
		if len(parts) == 3 {
			for _, opt := range strings.Split(parts[2], ",") {
				readOnly = readOnly || opt == "ro"
			}
		}
		mounts = append(mounts, bindMount{Source: parts[0], ReadOnly: readOnly})
	}
	more, _ := host["Mounts"].([]any)
	for _, m := range more {
		mount, _ := m.(map[string]any)
		source, _ := mount["Source"].(string)
		if mount["Type"] == "bind" && source != "" {
			readOnly, _ := mount["ReadOnly"].(bool)
			mounts = append(mounts, bindMount{Source: source, ReadOnly: readOnly})
		}
	}
	for i := range mounts {
		if resolved, err := filepath.EvalSymlinks(mounts[i].Source); err == nil {
			mounts[i].Resolved = filepath.Clean(resolved)
		}
	}
	return mounts
}

func main() {
	policyFile := flag.String("policy-file", "", "the Rego policy")
	socket := flag.String("socket", "", "where to serve the plugin (a unix socket path)")
	allowPath := flag.String("allow-path", "data.docker.authz.allow", "the query whose boolean allows a request")
	prepared := flag.Bool("prepared", false, "compile the policy once at start instead of for every request")
	logAll := flag.Bool("log", false, "log every decision, not only errors")
	flag.Parse()
	if *policyFile == "" || *socket == "" {
		log.Fatal("usage: opa-authz -policy-file FILE -socket PATH [-allow-path QUERY] [-prepared] [-log]")
	}
	src, err := os.ReadFile(*policyFile)
	if err != nil {
		log.Fatal(err)
	}
	// Compiled at start in both modes, so a broken policy stops the plugin here rather than denying everything.
	query, err := rego.New(rego.Query(*allowPath), rego.Module(*policyFile, string(src))).PrepareForEval(context.Background())
	if err != nil {
		log.Fatalf("policy %s: %v", *policyFile, err)
	}
	p := &plugin{policyFile: *policyFile, allowPath: *allowPath, logAll: *logAll}
	if *prepared {
		p.prepared = &query
	}
	_ = os.Remove(*socket)
	listener, err := net.Listen("unix", *socket)
	if err != nil {
		log.Fatal(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		_ = listener.Close() // removes the socket file
		os.Exit(0)
	}()
	log.Printf("serving on %s (policy %s, prepared=%v)", *socket, *policyFile, *prepared)
	if err := authorization.NewHandler(p).Serve(listener); err != nil && !strings.Contains(err.Error(), "use of closed") {
		log.Fatal(err)
	}
}
