// Command smokescreen is Stripe's Smokescreen, the version go.mod requires, with one policy added: only CONNECT
// tunnels leave, and only to the ports in SMOKESCREEN_CONNECT_PORTS (comma-separated, default 443).
//
// Stock Smokescreen also forwards plain HTTP (an absolute-URI GET sent to the proxy) and tunnels to any port of an
// allowed host. Neither its flags, its config file (parsed strictly) nor its ACL can restrict the method or the port;
// its library offers Config.PostDecisionRequestHandler, called for CONNECT and plain requests alike once the ACL and
// the address checks have allowed them, whose error refuses the request (407, X-Smokescreen-Error).
//
// Roles: upstream takes a request's role from the client certificate's common name, and clients that reach the proxy
// through HTTP(S)_PROXY (LiteLLM, Node) present none. With SMOKESCREEN_ROLE_FROM_ADDRESS (comma-separated host names,
// like the network alias model-proxy) a request whose source address is the one address such a name resolves to has
// that name as its role; a name that resolves to several addresses (another container claimed the alias) gives no role,
// so the request falls to the ACL's default rule. Without the variable, or for a request from any other address, the
// client certificate decides as upstream does. Everything else is upstream's main.go; logs are JSON.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/carlmjohnson/versioninfo"
	"github.com/sirupsen/logrus"
	"github.com/stripe/smokescreen/cmd"
	"github.com/stripe/smokescreen/pkg/smokescreen"
)

const (
	portsVariable = "SMOKESCREEN_CONNECT_PORTS"
	rolesVariable = "SMOKESCREEN_ROLE_FROM_ADDRESS"
)

func roleFromClientCertificate(req *http.Request) (string, error) {
	if req.TLS == nil {
		return "", smokescreen.MissingRoleError("defaultRoleFromRequest requires TLS")
	}
	if len(req.TLS.PeerCertificates) == 0 {
		return "", smokescreen.MissingRoleError("client did not provide certificate")
	}
	return req.TLS.PeerCertificates[0].Subject.CommonName, nil
}

func addressRoles() ([]string, error) {
	var names []string
	for _, field := range strings.Split(os.Getenv(rolesVariable), ",") {
		name := strings.TrimSpace(field)
		if name == "" {
			continue
		}
		if strings.ContainsAny(name, " /:") {
			return nil, fmt.Errorf("%s: %q is not a host name", rolesVariable, name)
		}
		names = append(names, name)
	}
	return names, nil
}

// roleFromAddress looks the names up at every request: a recreated container has a new address, and Docker's DNS on
// the internal network answers at once.
func roleFromAddress(names []string, fallback func(*http.Request) (string, error)) func(*http.Request) (string, error) {
	return func(req *http.Request) (string, error) {
		host, _, err := net.SplitHostPort(req.RemoteAddr)
		if err != nil {
			return fallback(req)
		}
		client := net.ParseIP(host)
		for _, name := range names {
			ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
			addresses, err := net.DefaultResolver.LookupIPAddr(ctx, name)
			cancel()
			if err != nil || len(addresses) != 1 {
				continue
			}
			if client != nil && addresses[0].IP.Equal(client) {
				return name, nil
			}
		}
		return fallback(req)
	}
}

func connectPorts() (map[int]bool, error) {
	value := strings.TrimSpace(os.Getenv(portsVariable))
	if value == "" {
		value = "443"
	}
	ports := map[int]bool{}
	for _, field := range strings.Split(value, ",") {
		port, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("%s=%q: %q is not a port", portsVariable, value, field)
		}
		ports[port] = true
	}
	return ports, nil
}

// httpsOnly refuses what the ACL allowed but is not a CONNECT tunnel to an allowed port. Inner requests of a MITM
// tunnel would also come here as plain requests; the operator configures no MITM.
func httpsOnly(ports map[int]bool) func(*http.Request) error {
	return func(req *http.Request) error {
		if req.Method != http.MethodConnect {
			return fmt.Errorf("plain HTTP (%s) is refused: only HTTPS through a CONNECT tunnel leaves this proxy", req.Method)
		}
		_, portText, err := net.SplitHostPort(req.Host)
		if err != nil {
			return fmt.Errorf("CONNECT target %q has no port", req.Host)
		}
		port, err := strconv.Atoi(portText)
		if err != nil || !ports[port] {
			return fmt.Errorf("CONNECT to port %s is refused: allowed ports are %s", portText, describe(ports))
		}
		return nil
	}
}

func describe(ports map[int]bool) string {
	list := make([]int, 0, len(ports))
	for p := range ports {
		list = append(list, p)
	}
	sort.Ints(list)
	return strings.Trim(fmt.Sprint(list), "[]")
}

// smokescreenVersion is the Smokescreen module this binary was built from (versioninfo would report this module).
func smokescreenVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/stripe/smokescreen" {
				return dep.Version
			}
		}
	}
	return "unknown"
}

func main() {
	versioninfo.Version, versioninfo.Revision = smokescreenVersion(), ""
	ports, err := connectPorts()
	if err != nil {
		logrus.Fatal(err)
	}
	conf, err := cmd.NewConfiguration(nil, nil)
	if err != nil {
		logrus.Fatalf("Could not create configuration: %v", err)
	}
	if conf == nil {
		return // --help or --version, already answered
	}
	roles, err := addressRoles()
	if err != nil {
		logrus.Fatal(err)
	}
	conf.RoleFromRequest = roleFromClientCertificate
	if len(roles) > 0 {
		conf.RoleFromRequest = roleFromAddress(roles, roleFromClientCertificate)
		conf.Log.WithField("address_roles", strings.Join(roles, ",")).Info("roles by source address: a request from the one address of these names has that role")
	}
	conf.PostDecisionRequestHandler = httpsOnly(ports)
	conf.Log.Formatter = &logrus.JSONFormatter{}
	log.SetOutput(&smokescreen.Log2LogrusWriter{Entry: conf.Log.WithField("stdlog", "1")})
	log.SetFlags(0)
	conf.Log.WithField("connect_ports", describe(ports)).Info("HTTPS only: CONNECT tunnels to these ports, no plain HTTP")
	smokescreen.StartWithConfig(conf, nil)
}
